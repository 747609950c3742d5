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
  return statement(db, 'SELECT * FROM bus_messages WHERE id = ? AND milestone = ?').get(id, milestone) as
    MessageRow | undefined;
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
