import { parseChannel } from '../../bus/address.js';
import { InputError } from '../../shared/errors.js';
import { messageId } from '../coordination-args.js';
import { printJson } from '../output.js';
import { messageJson, messageLine } from './msg-format.js';
import { withSession, type SessionFlags } from './msg.js';

/** `cairn msg dlq`: the dead-letter queue, with why each message is there. */
export async function dlq(flags: SessionFlags): Promise<number> {
  return withSession(flags, (session) => {
    const dead = session.coordination.bus.deadLetters(session.milestone);
    if (flags.json) printJson(dead.map(messageJson));
    else if (dead.length === 0) process.stdout.write('the dead-letter queue is empty\n');
    else process.stdout.write(`${dead.map(messageLine).join('\n')}\n`);
    return 0;
  });
}

/** `cairn msg replay <id...>|--all`: dead letters back to the queue with fresh attempts. */
export async function replay(ids: string[], flags: SessionFlags & { all?: boolean }): Promise<number> {
  if (!flags.all && ids.length === 0) {
    throw new InputError('E_MSG_REPLAY', 'replay what? name message ids or pass --all', {
      hint: 'See the dead letters with: cairn msg dlq',
    });
  }
  const wanted = ids.map(messageId);
  return withSession(flags, (session) => {
    const replayed = session.coordination.bus.replay(session.milestone, flags.all ? 'all' : wanted);
    const missing = wanted.filter((id) => !replayed.includes(id));
    if (missing.length > 0) {
      throw new InputError('E_MSG_REPLAY', `not in the dead-letter queue: #${missing.join(', #')}`, {
        hint: 'See the dead letters with: cairn msg dlq',
      });
    }
    if (flags.json) printJson({ replayed });
    else
      process.stdout.write(
        replayed.length === 0 ? 'nothing to replay\n' : `replayed #${replayed.join(', #')}\n`,
      );
    return 0;
  });
}

function channelArg(text: string): string {
  const channel = parseChannel(text);
  if (!channel) {
    throw new InputError('E_MSG_CHANNEL', `"${text}" is not a group or topic`, {
      hint: 'Use group:<name> (multicast) or topic:<name> (publish/subscribe).',
    });
  }
  return channel;
}

/** `cairn msg subscribe <group:g|topic:t>`: joins a group or subscribes to a topic. */
export async function subscribe(channel: string, flags: SessionFlags): Promise<number> {
  const checked = channelArg(channel);
  return withSession(flags, (session) => {
    session.coordination.bus.subscribe(session.milestone, checked, session.me[0]!);
    if (flags.json) printJson({ channel: checked, member: session.me[0] });
    else process.stdout.write(`${session.me[0]} joined ${checked}\n`);
    return 0;
  });
}

export async function unsubscribe(channel: string, flags: SessionFlags): Promise<number> {
  const checked = channelArg(channel);
  return withSession(flags, (session) => {
    const left = session.coordination.bus.unsubscribe(session.milestone, checked, session.me[0]!);
    if (flags.json) printJson({ channel: checked, member: session.me[0], left });
    else
      process.stdout.write(
        left ? `${session.me[0]} left ${checked}\n` : `${session.me[0]} was not in ${checked}\n`,
      );
    return 0;
  });
}
