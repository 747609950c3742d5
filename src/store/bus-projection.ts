import type Database from 'better-sqlite3';
import type { CairnEvent } from './events.js';
import { statement } from './statements.js';

type Started = Extract<CairnEvent, { type: 'attempt.started' }>;
type Ended = Extract<CairnEvent, { type: 'attempt.ended' }>;

// Columns of a bus message written by the orchestrator. They carry no idempotency key: each is
// written once, in the transaction of its event, and a replay of the journal writes no messages
// (projectEvent's 'replay' mode), so the unique index of keys is left out of the hot path.
const COLUMNS = `milestone, type, sender, address, recipient, payload, priority, class, state, attempts,
  max_attempts, lease_ms, deliver_after, deadline, sent_at`;
const ASSIGN = `INSERT INTO bus_messages (${COLUMNS})
  VALUES (?, 'TASK_ASSIGNMENT', 'orchestrator', ?, ?, ?, 5, 'at-least-once', 'pending', 0, 5, 30000, ?, ?, ?)`;
const PUBLISH = `INSERT INTO bus_messages (${COLUMNS})
  SELECT ?, 'PROGRESS_UPDATE', 'orchestrator', 'topic:progress', member, ?, 0, 'best-effort', 'pending', 0, 1,
    30000, ?, NULL, ?
  FROM bus_subscriptions WHERE milestone = ? AND channel = 'topic:progress'`;

/** The orchestrator assigns an attempt to its task: TASK_ASSIGNMENT, at-least-once, 30 s to ack. */
export function projectAssignment(db: Database.Database, event: Started, at: string): void {
  const time = Date.parse(at);
  const payload = JSON.stringify({
    task: event.task,
    attempt: event.attempt,
    agent: event.agent,
    run: event.run,
  });
  const address = `task:${event.task}`;
  statement(db, ASSIGN).run(event.milestone, address, address, payload, time, time + 30_000, time);
}

/**
 * How an attempt ended, published best effort on topic:progress: one copy per subscriber, or,
 * when nobody listens, one more in the topic's dropped count (bus_dropped), which the bus adds
 * to the dropped rows of its own sends.
 */
export function projectProgressUpdate(db: Database.Database, event: Ended, at: string): void {
  const heard = statement(
    db,
    `SELECT 1 FROM bus_subscriptions WHERE milestone = ? AND channel = 'topic:progress' LIMIT 1`,
  ).get(event.milestone);
  if (!heard) {
    statement(
      db,
      `INSERT INTO bus_dropped (milestone, address, type, count) VALUES (?, 'topic:progress', 'PROGRESS_UPDATE', 1)
       ON CONFLICT DO UPDATE SET count = count + 1`,
    ).run(event.milestone);
    return;
  }
  const time = Date.parse(at);
  const payload = JSON.stringify({
    task: event.task,
    attempt: event.attempt,
    outcome: event.outcome,
    ...(event.reason ? { reason: event.reason } : {}),
  });
  statement(db, PUBLISH).run(event.milestone, payload, time, time, event.milestone);
}
