import type Database from 'better-sqlite3';
import { createBreaker, type Breaker } from '../shared/circuit-breaker.js';
import { statement } from '../store/statements.js';
import type { DeliveryClass, Message, MessageState } from './types.js';

export interface MessageRow {
  id: number;
  milestone: string;
  type: string;
  sender: string;
  address: string;
  recipient: string;
  payload: string;
  priority: number;
  class: string;
  state: string;
  attempts: number;
  max_attempts: number;
  lease_ms: number;
  deliver_after: number;
  lease_until: number | null;
  deadline: number | null;
  reply_to: number | null;
  idem_key: string | null;
  late: number;
  error: string | null;
  sent_at: number;
  acked_at: number | null;
}

/** The columns of a message, in the order `rowOf` reads them. */
export const MESSAGE_COLUMNS = `id, milestone, type, sender, address, recipient, payload, priority, class, state,
  attempts, max_attempts, lease_ms, deliver_after, lease_until, deadline, reply_to, idem_key, late, error,
  sent_at, acked_at`;

/** A row of MESSAGE_COLUMNS read as an array. */
function rowOf(values: unknown[]): MessageRow {
  return {
    id: values[0] as number,
    milestone: values[1] as string,
    type: values[2] as string,
    sender: values[3] as string,
    address: values[4] as string,
    recipient: values[5] as string,
    payload: values[6] as string,
    priority: values[7] as number,
    class: values[8] as string,
    state: values[9] as string,
    attempts: values[10] as number,
    max_attempts: values[11] as number,
    lease_ms: values[12] as number,
    deliver_after: values[13] as number,
    lease_until: values[14] as number | null,
    deadline: values[15] as number | null,
    reply_to: values[16] as number | null,
    idem_key: values[17] as string | null,
    late: values[18] as number,
    error: values[19] as string | null,
    sent_at: values[20] as number,
    acked_at: values[21] as number | null,
  };
}

/**
 * The rows `sql` selects (or returns), which must be MESSAGE_COLUMNS. They are read as arrays:
 * better-sqlite3 builds an object of 22 keys several times slower than the array, and the
 * literal in `rowOf` costs next to nothing.
 */
export function messageRows(db: Database.Database, sql: string, ...params: unknown[]): MessageRow[] {
  const rows = statement(db, sql)
    .raw(true)
    .all(...params) as unknown[][];
  return rows.map(rowOf);
}

export function messageRow(db: Database.Database, sql: string, ...params: unknown[]): MessageRow | undefined {
  const values = statement(db, sql)
    .raw(true)
    .get(...params) as unknown[] | undefined;
  return values && rowOf(values);
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    milestone: row.milestone,
    type: row.type,
    sender: row.sender,
    address: row.address,
    recipient: row.recipient,
    payload: JSON.parse(row.payload) as unknown,
    priority: row.priority,
    class: row.class as DeliveryClass,
    state: row.state as MessageState,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    leaseMs: row.lease_ms,
    deliverAfter: row.deliver_after,
    leaseUntil: row.lease_until,
    deadline: row.deadline,
    replyTo: row.reply_to,
    key: row.idem_key,
    late: row.late === 1,
    error: row.error,
    sentAt: row.sent_at,
    ackedAt: row.acked_at,
  };
}

export function selectMessage(db: Database.Database, milestone: string, id: number): MessageRow | undefined {
  return messageRow(
    db,
    `SELECT ${MESSAGE_COLUMNS} FROM bus_messages WHERE id = ? AND milestone = ?`,
    id,
    milestone,
  );
}

/** The circuit of a recipient, as last saved (closed when it never failed). */
export function loadBreaker(db: Database.Database, milestone: string, recipient: string): Breaker {
  const row = statement(db, 'SELECT breaker FROM bus_breakers WHERE milestone = ? AND recipient = ?').get(
    milestone,
    recipient,
  ) as { breaker: string } | undefined;
  return row ? (JSON.parse(row.breaker) as Breaker) : createBreaker();
}

export function saveBreaker(
  db: Database.Database,
  milestone: string,
  recipient: string,
  breaker: Breaker,
): void {
  statement(
    db,
    `INSERT INTO bus_breakers (milestone, recipient, breaker) VALUES (?, ?, ?)
     ON CONFLICT (milestone, recipient) DO UPDATE SET breaker = excluded.breaker`,
  ).run(milestone, recipient, JSON.stringify(breaker));
}

export function hasBreakers(db: Database.Database, milestone: string): boolean {
  return statement(db, 'SELECT 1 FROM bus_breakers WHERE milestone = ? LIMIT 1').get(milestone) !== undefined;
}
