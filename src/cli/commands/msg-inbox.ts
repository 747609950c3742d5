import { checkKey } from '../../bus/sqlite-context.js';
import type { Message } from '../../bus/types.js';
import { InputError, WorkFailedError } from '../../shared/errors.js';
import { jsonArg, messageId, sleep } from '../coordination-args.js';
import { printJson } from '../output.js';
import { messageJson, messageLine } from './msg-format.js';
import { withSession, type SessionFlags } from './msg.js';

interface ReceiveFlags extends SessionFlags {
  limit?: number;
  lease?: number;
  type?: string[];
  peek?: boolean;
}

function print(messages: Message[], json: boolean | undefined, empty: string): void {
  if (json) printJson(messages.map(messageJson));
  else
    process.stdout.write(messages.length === 0 ? `${empty}\n` : `${messages.map(messageLine).join('\n')}\n`);
}

const receiveOptions = (flags: ReceiveFlags) => ({
  ...(flags.limit === undefined ? {} : { limit: flags.limit }),
  ...(flags.lease === undefined ? {} : { leaseMs: flags.lease }),
  ...(flags.type === undefined ? {} : { types: flags.type }),
});

/** `cairn msg inbox`: takes the next messages (each must be acked before its lease runs out). */
export async function inbox(flags: ReceiveFlags): Promise<number> {
  return withSession(flags, (session) => {
    const { bus } = session.coordination;
    const messages = flags.peek
      ? bus.peek(session.milestone, session.me)
      : bus.receive(session.milestone, session.me, receiveOptions(flags));
    print(messages, flags.json, `no messages for ${session.me.join(', ')}`);
    return 0;
  });
}

/** `cairn msg wait`: blocks until a message arrives (exit 1 after --timeout). */
export async function wait(flags: ReceiveFlags & { timeout: number }): Promise<number> {
  return withSession(flags, async (session) => {
    const until = Date.now() + flags.timeout;
    for (;;) {
      const messages = session.coordination.bus.receive(session.milestone, session.me, {
        ...receiveOptions(flags),
        limit: flags.limit ?? 1,
      });
      if (messages.length > 0) {
        print(messages, flags.json, '');
        return 0;
      }
      if (Date.now() >= until) {
        throw new WorkFailedError(
          'E_MSG_TIMEOUT',
          `no message for ${session.me.join(', ')} within ${flags.timeout} ms`,
          {
            hint: 'Wait longer with --timeout, or look at what is queued: cairn msg inbox --peek',
          },
        );
      }
      await sleep(Math.min(100, Math.max(0, until - Date.now())));
    }
  });
}

/** `key=json` for `msg ack --set`. */
function contextWrite(text: string): { key: string; value: unknown } {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new InputError('E_MSG_SET', `--set ${text}: expected key=<json>`, {
      hint: `e.g. --set 'review.done=true'`,
    });
  }
  const key = text.slice(0, eq);
  checkKey(key);
  return { key, value: jsonArg(text.slice(eq + 1), `value of ${key}`) };
}

/**
 * `cairn msg ack <id...> [--set key=json]`: acks messages; the context writes commit in the
 * same transaction as the ack, so they happen once even if this process dies mid-way.
 */
export async function ack(ids: string[], flags: SessionFlags & { set?: string[] }): Promise<number> {
  const writes = (flags.set ?? []).map(contextWrite);
  return withSession(flags, (session) => {
    const { bus, context } = session.coordination;
    const acked = ids.map(messageId).map((id) =>
      bus.ack(session.milestone, session.me, id, () => {
        for (const { key, value } of writes) {
          context.set({ milestone: session.milestone }, key, value, { writer: session.me[0]! });
        }
      }),
    );
    if (flags.json) printJson(acked.map((a) => ({ ...a, ackedAt: new Date(a.ackedAt).toISOString() })));
    else process.stdout.write(`acked #${acked.map((m) => m.id).join(', #')}\n`);
    return 0;
  });
}
