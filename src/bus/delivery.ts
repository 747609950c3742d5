import type Database from 'better-sqlite3';
import { retryDelay } from '../shared/backoff.js';
import { admits, record } from '../shared/circuit-breaker.js';
import { statement } from '../store/statements.js';
import {
  loadBreaker,
  MESSAGE_COLUMNS,
  messageRows,
  saveBreaker,
  toMessage,
  type MessageRow,
} from './bus-rows.js';
import { RECIPIENT_BREAKER, REDELIVERY_BACKOFF } from './message-types.js';
import type { Message, ReceiveOptions } from './types.js';

export interface DeliveryEnv {
  now: () => number;
  random: () => number;
}

/**
 * Leases that ran out: the receiver did not ack in time (it died, or gave up). Each goes back
 * to the queue after a backoff, or to the dead-letter queue after its last attempt, and counts
 * as a failure of its recipient's circuit.
 */
export function expireLeases(db: Database.Database, milestone: string, env: DeliveryEnv): void {
  const now = env.now();
  const expired = statement(
    db,
    `SELECT id, recipient, attempts, max_attempts FROM bus_messages
     WHERE milestone = ? AND state = 'delivered' AND lease_until IS NOT NULL AND lease_until < ?`,
  ).all(milestone, now) as Pick<MessageRow, 'id' | 'recipient' | 'attempts' | 'max_attempts'>[];
  if (expired.length === 0) return;
  const requeue = statement(
    db,
    `UPDATE bus_messages SET state = 'pending', lease_until = NULL, deliver_after = ?, error = ? WHERE id = ?`,
  );
  const bury = statement(
    db,
    `UPDATE bus_messages SET state = 'dead', lease_until = NULL, error = ? WHERE id = ?`,
  );
  const failed = new Map<string, number>();
  for (const row of expired) {
    if (row.attempts >= row.max_attempts) {
      bury.run(`not acked after ${row.attempts} deliveries`, row.id);
    } else {
      const delay = retryDelay(row.attempts, REDELIVERY_BACKOFF, env.random);
      requeue.run(now + delay, `lease ran out on delivery ${row.attempts}`, row.id);
    }
    failed.set(row.recipient, (failed.get(row.recipient) ?? 0) + 1);
  }
  for (const [recipient, count] of failed) {
    const breaker = loadBreaker(db, milestone, recipient);
    for (let i = 0; i < count; i++) record(breaker, false, now, RECIPIENT_BREAKER);
    saveBreaker(db, milestone, recipient, breaker);
  }
}

/** How many messages each identity may take now: none while its circuit is open, one probe half-open. */
function admitted(db: Database.Database, milestone: string, me: string[], now: number): Map<string, number> {
  const allowed = new Map<string, number>();
  for (const who of me) {
    const breaker = loadBreaker(db, milestone, who);
    if (breaker.state === 'closed') {
      allowed.set(who, Number.POSITIVE_INFINITY);
      continue;
    }
    const before = JSON.stringify(breaker);
    if (admits(breaker, now, RECIPIENT_BREAKER)) allowed.set(who, 1);
    if (JSON.stringify(breaker) !== before) saveBreaker(db, milestone, who, breaker);
  }
  return allowed;
}

/**
 * Takes the next messages for `me`, highest priority first: best-effort ones are delivered
 * for good, the others leased until their ack is due.
 */
export function takeMessages(
  db: Database.Database,
  milestone: string,
  me: string[],
  options: ReceiveOptions,
  env: DeliveryEnv,
): Message[] {
  expireLeases(db, milestone, env);
  const now = env.now();
  const allowed = admitted(db, milestone, me, now);
  const who = [...allowed.keys()];
  if (who.length === 0) return [];
  const limit = options.limit ?? 10;
  const types = options.types ?? [];
  const where = `FROM bus_messages
     WHERE milestone = ? AND recipient IN (${who.map(() => '?').join(', ')}) AND state = 'pending'
       AND deliver_after <= ?${types.length > 0 ? ` AND type IN (${types.map(() => '?').join(', ')})` : ''}
     ORDER BY priority DESC, id LIMIT ?`;
  const args = [milestone, ...who, now, ...types, limit];
  if ([...allowed.values()].every((left) => left === Number.POSITIVE_INFINITY)) {
    // Every circuit closed (the usual case): take the batch in one statement.
    const taken = messageRows(
      db,
      `UPDATE bus_messages SET state = 'delivered', attempts = attempts + 1,
         lease_until = CASE WHEN class = 'best-effort' THEN NULL ELSE ? + coalesce(?, lease_ms) END
       WHERE id IN (SELECT id ${where}) RETURNING ${MESSAGE_COLUMNS}`,
      now,
      options.leaseMs ?? null,
      ...args,
    );
    return taken.sort((a, b) => b.priority - a.priority || a.id - b.id).map(toMessage);
  }
  const rows = messageRows(db, `SELECT ${MESSAGE_COLUMNS} ${where}`, ...args);
  const lease = statement(
    db,
    `UPDATE bus_messages SET state = 'delivered', attempts = attempts + 1, lease_until = ? WHERE id = ?`,
  );
  const taken: Message[] = [];
  for (const row of rows) {
    const left = allowed.get(row.recipient) ?? 0;
    if (left <= 0) continue;
    allowed.set(row.recipient, left - 1);
    const until = row.class === 'best-effort' ? null : now + (options.leaseMs ?? row.lease_ms);
    lease.run(until, row.id);
    taken.push(toMessage({ ...row, state: 'delivered', attempts: row.attempts + 1, lease_until: until }));
  }
  return taken;
}

/** A successful ack closes its recipient's circuit: a closed circuit is no row at all. */
export function recordAck(db: Database.Database, milestone: string, recipient: string): void {
  // Most recipients never failed: looking costs half of a delete that finds nothing.
  const open = statement(db, 'SELECT 1 FROM bus_breakers WHERE milestone = ? AND recipient = ?').get(
    milestone,
    recipient,
  );
  if (open === undefined) return;
  statement(db, 'DELETE FROM bus_breakers WHERE milestone = ? AND recipient = ?').run(milestone, recipient);
}
