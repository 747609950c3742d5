import type Database from 'better-sqlite3';
import type { CairnEvent } from './events.js';
import { statement } from './statements.js';

type Activity = Extract<CairnEvent, { type: 'task.activity' }>;

const SHOWN_PATHS = 5;

/** `a, b, c (+4 more)`: a few paths, so an alert or a message stays one line. */
export function pathList(paths: string[]): string {
  const shown = paths.slice(0, SHOWN_PATHS).join(', ');
  return paths.length > SHOWN_PATHS ? `${shown} (+${paths.length - SHOWN_PATHS} more)` : shown;
}

/**
 * The attempt's activity column, and with `bus` an `out-of-scope` alert for writes outside the
 * task's scope and a SCOPE_WARNING to each running task whose scope was written into (and to the
 * writer). Idempotency keys come from the event, so a message is never sent twice.
 */
export function projectActivity(db: Database.Database, event: Activity, at: string, bus: boolean): void {
  const previous = statement(
    db,
    'SELECT activity FROM attempts WHERE milestone = ? AND task = ? AND attempt = ?',
  ).get(event.milestone, event.task, event.attempt) as { activity: string | null } | undefined;
  const before = previous?.activity
    ? (JSON.parse(previous.activity) as { outOfScope?: number; lines?: Activity['lines'] | null })
    : {};
  const activity = {
    files: event.files,
    byKind: event.byKind,
    significance: event.significance,
    lines: event.lines ?? before.lines ?? null,
    outOfScope: (before.outOfScope ?? 0) + (event.outOfScope?.length ?? 0),
  };
  statement(db, 'UPDATE attempts SET activity = ? WHERE milestone = ? AND task = ? AND attempt = ?').run(
    JSON.stringify(activity),
    event.milestone,
    event.task,
    event.attempt,
  );
  if (!bus) return;
  const time = Date.parse(at);
  if (event.outOfScope && event.outOfScope.length > 0) raiseOutOfScope(db, event, activity.outOfScope, time);
  for (const intrusion of event.intrusions ?? []) warnIntrusion(db, event, intrusion, time);
}

function raiseOutOfScope(db: Database.Database, event: Activity, total: number, time: number): void {
  const message = `${event.task} wrote outside its scope (${total} path${total === 1 ? '' : 's'} so far): ${pathList(event.outOfScope ?? [])}`;
  const open = statement(
    db,
    `UPDATE bus_alerts SET message = ?, raised_at = ?
     WHERE milestone = ? AND kind = 'out-of-scope' AND subject = ? AND resolved_at IS NULL`,
  ).run(message, time, event.milestone, event.task);
  if (open.changes > 0) return;
  statement(
    db,
    `INSERT INTO bus_alerts (milestone, kind, subject, task, message, source, raised_at)
     VALUES (?, 'out-of-scope', ?, ?, ?, NULL, ?)`,
  ).run(event.milestone, event.task, event.task, message, time);
}

/** The owner of the scope is told who writes in it; the writer is told whose scope it is in. */
function warnIntrusion(
  db: Database.Database,
  event: Activity,
  intrusion: { task: string; paths: string[] },
  time: number,
): void {
  const insert = statement(
    db,
    `INSERT OR IGNORE INTO bus_messages (milestone, type, sender, address, recipient, payload, priority, class,
       state, attempts, max_attempts, lease_ms, deliver_after, deadline, idem_key, sent_at)
     VALUES (?, 'SCOPE_WARNING', 'orchestrator', ?, ?, ?, 5, 'at-least-once', 'pending', 0, 5, 30000, ?, NULL, ?, ?)`,
  );
  const key = `task.activity:${event.task}:${event.attempt}:${event.task}->${intrusion.task}:${time}`;
  const about = { writer: event.task, owner: intrusion.task, paths: intrusion.paths };
  const toOwner = {
    ...about,
    message: `task ${event.task} is writing in your scope: ${pathList(intrusion.paths)}; expect a conflict or coordinate with it (cairn msg send task:${event.task} …)`,
  };
  const toWriter = {
    ...about,
    message: `you wrote outside your scope into the scope of running task ${intrusion.task}: ${pathList(intrusion.paths)}; leave those files to it or coordinate with it`,
  };
  for (const [recipient, payload] of [
    [intrusion.task, toOwner],
    [event.task, toWriter],
  ] as const) {
    const address = `task:${recipient}`;
    insert.run(event.milestone, address, address, JSON.stringify(payload), time, `${key}:${recipient}`, time);
  }
}

/** Out-of-scope alerts stay open for review until the milestone lands: then they are history. */
export function settleOutOfScope(db: Database.Database, milestone: string, at: string): void {
  statement(
    db,
    `UPDATE bus_alerts SET resolved_at = ?
     WHERE milestone = ? AND kind = 'out-of-scope' AND resolved_at IS NULL`,
  ).run(Date.parse(at), milestone);
}
