import type Database from 'better-sqlite3';
import { statement } from '../store/statements.js';

/**
 * blocker: an agent's BLOCKER_ALERT; context-conflict: a `manual` context key with siblings;
 * out-of-scope: a running task wrote files outside its declared scope (the file monitor).
 */
export type AlertKind = 'blocker' | 'context-conflict' | 'out-of-scope';

export interface Alert {
  id: number;
  milestone: string;
  kind: AlertKind;
  /** What it is about: the task for a blocker, the key for a conflict. */
  subject: string;
  task: string | null;
  message: string;
  /** The message that raised it, for blockers. */
  source: number | null;
  raisedAt: number;
}

interface AlertRow {
  id: number;
  milestone: string;
  kind: AlertKind;
  subject: string;
  task: string | null;
  message: string;
  source: number | null;
  raised_at: number;
}

/** Raises an alert unless the same one (kind and subject) is open; returns it either way. */
export function raiseAlert(db: Database.Database, alert: Omit<Alert, 'id'>): Alert {
  const open = statement(
    db,
    'SELECT * FROM bus_alerts WHERE milestone = ? AND kind = ? AND subject = ? AND resolved_at IS NULL',
  ).get(alert.milestone, alert.kind, alert.subject) as AlertRow | undefined;
  if (open && alert.kind !== 'blocker') return toAlert(open);
  const result = statement(
    db,
    `INSERT INTO bus_alerts (milestone, kind, subject, task, message, source, raised_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(alert.milestone, alert.kind, alert.subject, alert.task, alert.message, alert.source, alert.raisedAt);
  return { ...alert, id: Number(result.lastInsertRowid) };
}

export function resolveAlerts(
  db: Database.Database,
  milestone: string,
  kind: AlertKind,
  subject: string,
  now: number,
): void {
  statement(
    db,
    `UPDATE bus_alerts SET resolved_at = ? WHERE milestone = ? AND kind = ? AND subject = ? AND resolved_at IS NULL`,
  ).run(now, milestone, kind, subject);
}

/** Open alerts of a milestone, oldest first. */
export function openAlerts(db: Database.Database, milestone: string): Alert[] {
  const rows = statement(
    db,
    'SELECT * FROM bus_alerts WHERE milestone = ? AND resolved_at IS NULL ORDER BY id',
  ).all(milestone) as AlertRow[];
  return rows.map(toAlert);
}

/** The reason of the latest blocker raised for `task` at or after `since`, if any. */
export function blockerSince(
  db: Database.Database,
  milestone: string,
  task: string,
  since: number,
): string | undefined {
  const row = statement(
    db,
    `SELECT message FROM bus_alerts WHERE milestone = ? AND kind = 'blocker' AND task = ? AND raised_at >= ?
     ORDER BY id DESC LIMIT 1`,
  ).get(milestone, task, since) as { message: string } | undefined;
  return row?.message;
}

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    milestone: row.milestone,
    kind: row.kind,
    subject: row.subject,
    task: row.task,
    message: row.message,
    source: row.source,
    raisedAt: row.raised_at,
  };
}
