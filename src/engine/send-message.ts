import { blockerReason, checkBlocker, escalateBlocker } from '../bus/escalate.js';
import { runNotify, type NotifyResult } from '../bus/notify.js';
import type { SendInput, SendResult } from '../bus/types.js';
import type { CoordinationSession } from './coordination-session.js';

export interface SendOutcome {
  result: SendResult;
  /** The alert a BLOCKER_ALERT raised (absent for other types and for duplicates). */
  alert?: number;
  /** How the configured notify command went, when a blocker ran it. */
  notified?: NotifyResult;
}

/**
 * Sends a message as the session's identity (`cairn msg send`, the MCP tools). A BLOCKER_ALERT
 * is checked before it is sent, then escalated at once: the task is journaled blocked, an alert
 * raised, and the notify command run. A failed notify is reported in `notified`, never thrown.
 */
export async function sendAs(
  session: CoordinationSession,
  input: Omit<SendInput, 'milestone' | 'sender'>,
): Promise<SendOutcome> {
  const sender = session.me[0]!;
  const blocked =
    input.type === 'BLOCKER_ALERT' ? checkBlocker(sender, input.payload, session.directory.tasks) : undefined;
  const { bus } = session.coordination;
  const result = bus.send({ ...input, milestone: session.milestone, sender }, session.directory);
  if (blocked === undefined || result.duplicate) return { result };
  const first = bus.message(session.milestone, result.ids[0]!)!;
  const alert = escalateBlocker(session.store, session.coordination.alerts, first, Date.now()).id;
  const notify = await session.notifyCommand();
  if (!notify) return { result, alert };
  const values = {
    message: blockerReason(input.payload),
    task: blocked,
    milestone: session.milestone,
    type: input.type,
  };
  return { result, alert, notified: await runNotify(notify, values, session.repo.root) };
}
