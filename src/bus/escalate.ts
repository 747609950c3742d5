import { InputError } from '../shared/errors.js';
import type { Store } from '../store/types.js';
import type { Alert } from './alerts.js';
import type { Alerts } from './coordination.js';
import type { Message } from './types.js';

/** The task a blocker is about: the sending task, or `task` in the payload. */
export function blockedTask(sender: string, payload: unknown): string | undefined {
  const named = (payload as { task?: unknown } | null)?.task;
  if (typeof named === 'string' && named !== '') return named;
  return sender.startsWith('task:') ? sender.slice('task:'.length) : undefined;
}

/** The reason a blocker gives: the payload text, or its `reason` or `message`. */
export function blockerReason(payload: unknown): string {
  if (typeof payload === 'string' && payload.trim() !== '') return payload.trim();
  const record = (payload ?? {}) as { reason?: unknown; message?: unknown };
  const text = record.reason ?? record.message;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : 'no reason given';
}

/** Checks a BLOCKER_ALERT before it is sent, so a bad one is refused rather than half-escalated. */
export function checkBlocker(sender: string, payload: unknown, tasks: string[]): string {
  const task = blockedTask(sender, payload);
  if (task === undefined) {
    throw new InputError('E_MSG_BLOCKER', 'a BLOCKER_ALERT must say which task is blocked', {
      hint: 'Send it from the task agent (CAIRN_TASK is set), or put "task" in the payload: {"task": "db", "reason": "…"}.',
    });
  }
  if (!tasks.includes(task)) {
    throw new InputError(
      'E_MSG_BLOCKER',
      `a BLOCKER_ALERT names task "${task}", which the milestone does not have`,
      {
        hint: `Name one of: ${tasks.join(', ')}`,
      },
    );
  }
  return task;
}

/**
 * BLOCKER_ALERT escalates at once: the task is journaled blocked with the reason (unless it
 * already finished), and an alert is raised for `status` and dashboards. The run that drives
 * the task sees the alert when the attempt ends and stops the task there instead of retrying.
 */
export function escalateBlocker(store: Store, alerts: Alerts, message: Message, now: number): Alert {
  const task = blockedTask(message.sender, message.payload)!;
  const reason = blockerReason(message.payload);
  const row = store.tasks(message.milestone).find((t) => t.id === task);
  if (row && row.state !== 'done' && row.state !== 'skipped') {
    store.append({
      type: 'task.state',
      milestone: message.milestone,
      task,
      state: 'blocked',
      reason: `blocker from ${message.sender}: ${reason}`,
    });
  }
  return alerts.raise({
    milestone: message.milestone,
    kind: 'blocker',
    subject: task,
    task,
    message: reason,
    source: message.id,
    raisedAt: now,
  });
}
