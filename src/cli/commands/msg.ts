import type { DeliveryClass } from '../../bus/types.js';
import { openCoordinationSession, type CoordinationSession } from '../../engine/coordination-session.js';
import { sendAs } from '../../engine/send-message.js';
import { InputError, WorkFailedError } from '../../shared/errors.js';
import { jsonArg, messageId, readStdin, sleep } from '../coordination-args.js';
import { clock, printJson } from '../output.js';
import { messageJson } from './msg-format.js';

export interface SessionFlags {
  milestone?: string;
  as?: string;
  json?: boolean;
}

/** Opens the session, runs `work`, closes it. */
export async function withSession<T>(
  flags: SessionFlags,
  work: (s: CoordinationSession) => Promise<T> | T,
): Promise<T> {
  const session = await openCoordinationSession(process.cwd(), flags);
  try {
    return await work(session);
  } finally {
    session.close();
  }
}

interface SendFlags extends SessionFlags {
  type: string;
  text?: boolean;
  priority?: number;
  deadline?: number;
  lease?: number;
  maxAttempts?: number;
  class?: DeliveryClass;
  replyTo?: string;
  key?: string;
  wait?: boolean;
}

/** Polls for the reply to `id` until it comes or the request's deadline passes (exit 1). */
async function awaitReply(session: CoordinationSession, id: number, json: boolean): Promise<number> {
  for (;;) {
    const reply = session.coordination.bus.takeReply(session.milestone, session.me, id);
    if (reply === 'timeout') {
      const deadline = session.coordination.bus.message(session.milestone, id)?.deadline ?? Date.now();
      throw new WorkFailedError(
        'E_MSG_TIMEOUT',
        `no reply to message ${id} before its deadline (${clock(new Date(deadline))}): timed out`,
        {
          hint: 'A reply that comes later is kept as late (cairn msg inbox will not deliver it).',
        },
      );
    }
    if (reply) {
      if (json) printJson(messageJson(reply));
      else
        process.stdout.write(`reply #${reply.id} from ${reply.sender}: ${JSON.stringify(reply.payload)}\n`);
      return 0;
    }
    await sleep(100);
  }
}

/** `cairn msg send <to> <payload>`. */
export async function send(to: string, payloadText: string | undefined, flags: SendFlags): Promise<number> {
  const text = payloadText === undefined || payloadText === '-' ? await readStdin() : payloadText;
  const payload = jsonArg(text, 'payload', flags.text);
  return withSession(flags, async (session) => {
    const { result, alert, notified } = await sendAs(session, {
      type: flags.type,
      to,
      payload,
      ...(flags.priority === undefined ? {} : { priority: flags.priority }),
      ...(flags.deadline === undefined ? {} : { deadlineMs: flags.deadline }),
      ...(flags.lease === undefined ? {} : { leaseMs: flags.lease }),
      ...(flags.maxAttempts === undefined ? {} : { maxAttempts: flags.maxAttempts }),
      ...(flags.class === undefined ? {} : { deliveryClass: flags.class }),
      ...(flags.replyTo === undefined ? {} : { replyTo: messageId(flags.replyTo) }),
      ...(flags.key === undefined ? {} : { key: flags.key }),
    });
    if (notified && !notified.ok)
      process.stderr.write(`warning: notify command failed: ${notified.reason}\n`);
    if (flags.json && !flags.wait)
      printJson({ ...result, ...(alert === undefined ? {} : { alert }), ...(notified ? { notified } : {}) });
    else if (!flags.json) {
      const what = result.duplicate ? 'already sent (same key)' : `sent #${result.ids.join(', #')}`;
      const to = result.recipients.length > 0 ? ` to ${result.recipients.join(', ')}` : '';
      const dropped = result.dropped > 0 ? ` · ${result.dropped} dropped (nobody listening)` : '';
      const held = result.held.length > 0 ? ` · held for ${result.held.join(', ')} (circuit open)` : '';
      process.stdout.write(
        `${what}${to}${dropped}${held}${alert === undefined ? '' : ' · task blocked, alert raised'}\n`,
      );
    }
    return flags.wait ? awaitReply(session, result.ids[0]!, flags.json === true) : 0;
  });
}

/** `cairn msg reply <id> <payload>`: answers a request; after its deadline the reply is kept as late (exit 2). */
export async function reply(
  id: string,
  payloadText: string | undefined,
  flags: SessionFlags & { type?: string; text?: boolean },
): Promise<number> {
  const text = payloadText === undefined || payloadText === '-' ? await readStdin() : payloadText;
  const payload = jsonArg(text, 'payload', flags.text);
  return withSession(flags, (session) => {
    const request = messageId(id);
    const { reply: sent, late } = session.coordination.bus.reply(
      session.milestone,
      session.me,
      request,
      payload,
      flags.type,
    );
    if (late) {
      const deadline = session.coordination.bus.message(session.milestone, request)!.deadline!;
      throw new InputError(
        'E_MSG_LATE',
        `message ${request}'s deadline passed at ${clock(new Date(deadline))}: your reply #${sent.id} is recorded as late and the requester was told it timed out`,
        {
          hint: 'Answer before the deadline next time; the requester may send the request again.',
        },
      );
    }
    if (flags.json) printJson(messageJson(sent));
    else process.stdout.write(`replied #${sent.id} to ${sent.recipient}\n`);
    return 0;
  });
}
