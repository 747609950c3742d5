import { z } from 'zod';
import { messageJson } from '../bus/message-json.js';
import { checkKey } from '../bus/sqlite-context.js';
import { sendAs } from '../engine/send-message.js';
import { InputError } from '../shared/errors.js';
import { requireTask } from './identity.js';
import { defineTool, jsonValue, required } from './tool-kit.js';

const recipient = z
  .string()
  .min(1)
  .describe('task:<id>, agent:<profile>, group:<name>, topic:<name>, all, orchestrator or user');
const messageId = z.number().int().positive();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const sendMessage = defineTool(
  'send_message',
  'Send a message on the bus. With reply_to, answer that request instead (the reply goes to its sender; after its deadline it is recorded as late). A BLOCKER_ALERT is escalated like raise_blocker.',
  {
    to: recipient.optional(),
    payload: jsonValue.describe('any JSON value'),
    type: z.string().min(1).optional().describe('message type (default MESSAGE; REPLY with reply_to)'),
    priority: z.number().int().optional(),
    deadline_ms: z.number().int().positive().optional().describe('reply deadline (default per type)'),
    reply_to: messageId.optional().describe('the request this answers'),
    key: z.string().min(1).max(200).optional().describe('idempotency key: sending again with it is a no-op'),
  },
  async (context, args) => {
    const { payload } = args;
    const session = await context.session();
    if (args.reply_to !== undefined) {
      const { reply, late } = session.coordination.bus.reply(
        session.milestone,
        session.me,
        args.reply_to,
        payload,
        args.type,
      );
      return { reply: messageJson(reply), late };
    }
    const to = required(args.to, 'to (or reply_to)', '{"to": "task:api", "payload": {"need": "schema"}}');
    const { result, alert, notified } = await sendAs(session, {
      type: args.type ?? 'MESSAGE',
      to,
      payload,
      ...(args.priority === undefined ? {} : { priority: args.priority }),
      ...(args.deadline_ms === undefined ? {} : { deadlineMs: args.deadline_ms }),
      ...(args.key === undefined ? {} : { key: args.key }),
    });
    return { ...result, ...(alert === undefined ? {} : { alert }), ...(notified ? { notified } : {}) };
  },
);

export const readMessages = defineTool(
  'read_messages',
  'Take your next messages, highest priority first. Ack each with ack_message before its lease runs out, or it is delivered again. peek only looks.',
  {
    limit: z.number().int().min(1).max(100).optional().describe('at most this many (default 10)'),
    types: z.array(z.string().min(1)).optional().describe('only these types'),
    peek: z.boolean().optional().describe('list what waits without taking it'),
    lease_ms: z.number().int().positive().optional().describe('time to ack before redelivery'),
  },
  async (context, args) => {
    const session = await context.session();
    const { bus } = session.coordination;
    const messages = args.peek
      ? bus.peek(session.milestone, session.me)
      : bus.receive(session.milestone, session.me, {
          limit: args.limit ?? 10,
          ...(args.lease_ms === undefined ? {} : { leaseMs: args.lease_ms }),
          ...(args.types === undefined ? {} : { types: args.types }),
        });
    return { me: session.me, messages: messages.map(messageJson) };
  },
);

export const ackMessage = defineTool(
  'ack_message',
  'Ack messages you took with read_messages. set writes shared-context keys in the same transaction as each ack, so the effect happens exactly once.',
  {
    ids: z.array(messageId).min(1).max(100),
    set: z.record(z.string(), jsonValue).optional().describe('context keys to write with the ack'),
  },
  async (context, args) => {
    const session = await context.session();
    const { bus, context: shared } = session.coordination;
    const writes = Object.entries(args.set ?? {});
    for (const [key, value] of writes) {
      checkKey(key);
      if (value === undefined) throw new InputError('E_MCP_INPUT', `set.${key} has no value`);
    }
    const acked = args.ids.map((id) =>
      bus.ack(session.milestone, session.me, id, () => {
        for (const [key, value] of writes) {
          shared.set({ milestone: session.milestone }, key, value, { writer: session.me[0]! });
        }
      }),
    );
    return { acked: acked.map((a) => ({ ...a, ackedAt: new Date(a.ackedAt).toISOString() })) };
  },
);

export const requestCollaboration = defineTool(
  'request_collaboration',
  'Ask another task or agent for something (a COLLABORATION_REQUEST, delivered exactly once, with a reply deadline). Waits up to wait_ms for the reply; a reply that comes later arrives through read_messages.',
  {
    to: recipient,
    request: jsonValue.describe('what you need, as any JSON value'),
    deadline_ms: z
      .number()
      .int()
      .min(1000)
      .max(3_600_000)
      .optional()
      .describe('reply deadline (default 60 s)'),
    wait_ms: z.number().int().min(0).max(120_000).optional().describe('how long to wait here (default 0)'),
    key: z.string().min(1).max(200).optional().describe('idempotency key'),
  },
  async (context, args) => {
    requireTask(context.identity, 'request_collaboration');
    const session = await context.session();
    const { result } = await sendAs(session, {
      type: 'COLLABORATION_REQUEST',
      to: args.to,
      payload: args.request,
      ...(args.deadline_ms === undefined ? {} : { deadlineMs: args.deadline_ms }),
      ...(args.key === undefined ? {} : { key: args.key }),
    });
    const id = result.ids[0]!;
    const { bus } = session.coordination;
    const until = Date.now() + (args.wait_ms ?? 0);
    for (;;) {
      const reply = bus.takeReply(session.milestone, session.me, id);
      if (reply === 'timeout') return { id, recipients: result.recipients, status: 'timed_out', reply: null };
      if (reply) return { id, recipients: result.recipients, status: 'replied', reply: messageJson(reply) };
      if (Date.now() >= until) break;
      await sleep(Math.min(100, until - Date.now()));
    }
    const deadline = bus.message(session.milestone, id)?.deadline ?? null;
    return {
      id,
      recipients: result.recipients,
      status: 'waiting',
      deadline: deadline === null ? null : new Date(deadline).toISOString(),
      reply: null,
    };
  },
);
