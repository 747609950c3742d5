import type Database from 'better-sqlite3';
import type { CairnEvent } from './events.js';
import { projectAssignment, projectProgressUpdate } from './bus-projection.js';
import { projectActivity, settleOutOfScope } from './activity-projection.js';
import { statement } from './statements.js';

/**
 * How an event is projected. `append`: the projection tables, and the messages and alerts the
 * event raises on the bus. `replay` (a rebuild or a check of the projections): the tables only,
 * since the event's messages and alerts were written with it, in its own transaction.
 */
export type ProjectionMode = 'append' | 'replay';

/** Applies one event to the projection tables; the caller owns the transaction. */
export function projectEvent(
  db: Database.Database,
  event: CairnEvent,
  at: string,
  mode: ProjectionMode = 'append',
): void {
  const bus = mode === 'append';
  switch (event.type) {
    case 'milestone.planned': {
      statement(
        db,
        `INSERT INTO milestones (id, title, branch, base, spec_file, state, updated_at)
         VALUES (?, ?, ?, ?, ?, 'planned', ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, branch = excluded.branch,
           base = excluded.base, spec_file = excluded.spec_file, updated_at = excluded.updated_at`,
      ).run(event.milestone, event.title, event.branch, event.base, event.specFile, at);
      const upsert = statement(
        db,
        `INSERT INTO tasks (milestone, id, seq, title, state, agent, definition, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)
         ON CONFLICT (milestone, id) DO UPDATE SET seq = excluded.seq, title = excluded.title,
           agent = CASE WHEN tasks.attempts = 0 THEN excluded.agent ELSE tasks.agent END,
           definition = CASE WHEN tasks.state IN ('done', 'skipped') THEN tasks.definition
                             ELSE excluded.definition END`,
      );
      // A finished task keeps the definition it was finished with, so later edits show.
      event.tasks.forEach((task, index) =>
        upsert.run(event.milestone, task.id, index, task.title, task.agent, task.definition ?? null, at),
      );
      return;
    }
    case 'milestone.branched':
      statement(db, `UPDATE milestones SET start_commit = ?, updated_at = ? WHERE id = ?`).run(
        event.start,
        at,
        event.milestone,
      );
      return;
    case 'run.started':
      statement(
        db,
        `INSERT INTO runs (id, milestone, pid, host, concurrency, state, started_at)
         VALUES (?, ?, ?, ?, ?, 'running', ?)`,
      ).run(event.run, event.milestone, event.pid, event.host, event.concurrency, at);
      setMilestoneState(db, event.milestone, 'running', at);
      return;
    case 'run.health':
      statement(db, `UPDATE runs SET level = ?, health = ? WHERE id = ?`).run(
        event.level,
        JSON.stringify({ score: event.score, warnings: event.warnings, reason: event.reason ?? null }),
        event.run,
      );
      return;
    case 'run.ended':
      statement(db, `UPDATE runs SET state = ?, ended_at = ? WHERE id = ?`).run(event.state, at, event.run);
      setMilestoneState(db, event.milestone, event.state, at);
      return;
    case 'task.state':
      statement(
        db,
        `UPDATE tasks SET state = ?, reason = ?, branch = COALESCE(?, branch), blocked_by = ?, updated_at = ?
         WHERE milestone = ? AND id = ?`,
      ).run(
        event.state,
        event.reason ?? null,
        event.branch ?? null,
        event.blockedBy ?? null,
        at,
        event.milestone,
        event.task,
      );
      return;
    case 'task.requeued':
      statement(
        db,
        `UPDATE tasks SET state = 'pending', reason = ?, blocked_by = NULL, resume = ?,
           superseded = COALESCE(?, superseded), merge_commit = CASE WHEN ? IS NULL THEN merge_commit END,
           updated_at = ?
         WHERE milestone = ? AND id = ?`,
      ).run(
        event.reason,
        event.start,
        event.supersedes ?? null,
        event.supersedes ?? null,
        at,
        event.milestone,
        event.task,
      );
      return;
    case 'attempt.started':
      statement(
        db,
        `INSERT INTO attempts (milestone, task, attempt, run, agent, state, log_file, started_at)
         VALUES (?, ?, ?, ?, ?, 'running', ?, ?)`,
      ).run(event.milestone, event.task, event.attempt, event.run, event.agent, event.logFile, at);
      statement(
        db,
        `UPDATE tasks SET state = 'running', attempts = ?, agent = ?, reason = NULL, resume = NULL, updated_at = ?
         WHERE milestone = ? AND id = ?`,
      ).run(event.attempt, event.agent, at, event.milestone, event.task);
      if (bus) projectAssignment(db, event, at);
      return;
    case 'task.activity':
      projectActivity(db, event, at, bus);
      return;
    case 'attempt.pid':
      statement(db, `UPDATE attempts SET pid = ? WHERE milestone = ? AND task = ? AND attempt = ?`).run(
        event.pid,
        event.milestone,
        event.task,
        event.attempt,
      );
      return;
    case 'attempt.checking':
      statement(
        db,
        `UPDATE attempts SET state = 'checking', head = ? WHERE milestone = ? AND task = ? AND attempt = ?`,
      ).run(event.head, event.milestone, event.task, event.attempt);
      return;
    case 'attempt.ended':
      statement(
        db,
        `UPDATE attempts SET state = ?, head = COALESCE(?, head), exit_code = ?, signal = ?, reason = ?,
           ended_at = ?
         WHERE milestone = ? AND task = ? AND attempt = ?`,
      ).run(
        event.outcome,
        event.head ?? null,
        event.exitCode,
        event.signal,
        event.reason ?? null,
        at,
        event.milestone,
        event.task,
        event.attempt,
      );
      if (event.head) {
        statement(db, `UPDATE tasks SET head_commit = ? WHERE milestone = ? AND id = ?`).run(
          event.head,
          event.milestone,
          event.task,
        );
      }
      if (bus) projectProgressUpdate(db, event, at);
      return;
    case 'task.merged':
      statement(
        db,
        `UPDATE tasks SET state = 'done', merge_commit = ?, head_commit = ?, reason = NULL, updated_at = ?
         WHERE milestone = ? AND id = ?`,
      ).run(event.commit, event.head, at, event.milestone, event.task);
      return;
    case 'milestone.landed':
      statement(
        db,
        `UPDATE milestones SET state = 'landed', landed_commit = ?, updated_at = ? WHERE id = ?`,
      ).run(event.commit, at, event.milestone);
      if (bus) settleOutOfScope(db, event.milestone, at);
      return;
    case 'run.tuned':
    case 'phase.started':
    case 'phase.ended':
    case 'task.rebalanced':
    case 'milestone.pr':
    case 'commit.recorded':
    case 'progress.snapshot':
      // Journal only: read back from the events by `cairn progress --history` and the analytics.
      return;
  }
}

function setMilestoneState(db: Database.Database, milestone: string, state: string, at: string): void {
  statement(db, `UPDATE milestones SET state = ?, updated_at = ? WHERE id = ?`).run(state, at, milestone);
}
