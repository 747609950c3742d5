import type Database from 'better-sqlite3';
import type { CairnEvent } from './events.js';
import { statement } from './statements.js';

type Started = Extract<CairnEvent, { type: 'attempt.started' }>;
type Ended = Extract<CairnEvent, { type: 'attempt.ended' }>;

// Columns of a bus message written by the orchestrator. Each insert carries an idempotency key
// made of the event, so replaying the journal (doctor, resume) adds no second copy.
const COLUMNS = `milestone, type, sender, address, recipient, payload, priority, class, state, attempts,
  max_attempts, lease_ms, deliver_after, deadline, idem_key, sent_at`;

/** The orchestrator assigns an attempt to its task: TASK_ASSIGNMENT, at-least-once, 30 s to ack. */
export function projectAssignment(db: Database.Database, event: Started, at: string): void {
  const time = Date.parse(at);
  const payload = JSON.stringify({
    task: event.task,
    attempt: event.attempt,
    agent: event.agent,
    run: event.run,
  });
  statement(
    db,
    `INSERT OR IGNORE INTO bus_messages (${COLUMNS})
     VALUES (?, 'TASK_ASSIGNMENT', 'orchestrator', ?, ?, ?, 5, 'at-least-once', 'pending', 0, 5, 30000, ?, ?, ?, ?)`,
  ).run(
    event.milestone,
    `task:${event.task}`,
    `task:${event.task}`,
    payload,
    time,
    time + 30_000,
    `attempt.started:${event.task}:${event.attempt}:${event.run}`,
    time,
  );
}

/**
 * How an attempt ended, published best effort on topic:progress: one copy per subscriber, or
 * one dropped row (the count) when nobody listens. One statement either way.
 */
export function projectProgressUpdate(db: Database.Database, event: Ended, at: string): void {
  const time = Date.parse(at);
  const payload = JSON.stringify({
    task: event.task,
    attempt: event.attempt,
    outcome: event.outcome,
    ...(event.reason ? { reason: event.reason } : {}),
  });
  const key = `attempt.ended:${event.task}:${event.attempt}:${at}`;
  statement(
    db,
    `INSERT OR IGNORE INTO bus_messages (${COLUMNS})
     SELECT @milestone, 'PROGRESS_UPDATE', 'orchestrator', 'topic:progress', member, @payload, 0, 'best-effort', 'pending', 0, 1,
       30000, @time, NULL, @key, @time
     FROM bus_subscriptions WHERE milestone = @milestone AND channel = 'topic:progress'
     UNION ALL
     SELECT @milestone, 'PROGRESS_UPDATE', 'orchestrator', 'topic:progress', 'topic:progress', @payload, 0, 'best-effort',
       'dropped', 0, 1, 30000, @time, NULL, @key, @time
     WHERE NOT EXISTS (SELECT 1 FROM bus_subscriptions WHERE milestone = @milestone AND channel = 'topic:progress')`,
  ).run({ milestone: event.milestone, payload, time, key });
}
