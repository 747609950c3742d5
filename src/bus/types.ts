/** How hard the bus tries to deliver a message (docs/coordination.md). */
export type DeliveryClass = 'best-effort' | 'at-least-once' | 'exactly-once';

/**
 * pending: waiting to be received; delivered: received, not yet acked (leased until
 * `leaseUntil`, then redelivered); acked: done; dead: in the dead-letter queue; dropped: best
 * effort with nobody listening; late: a reply that came after its request's deadline.
 */
export type MessageState = 'pending' | 'delivered' | 'acked' | 'dead' | 'dropped' | 'late';

/** One copy of a message, for one recipient. Times are epoch ms. */
export interface Message {
  id: number;
  milestone: string;
  type: string;
  sender: string;
  /** As the sender addressed it: task:x, agent:y, group:g, topic:t, all, orchestrator or user. */
  address: string;
  /** The identity this copy is for. */
  recipient: string;
  payload: unknown;
  priority: number;
  class: DeliveryClass;
  state: MessageState;
  attempts: number;
  maxAttempts: number;
  /** How long a receiver has to ack before the message is delivered again. */
  leaseMs: number;
  deliverAfter: number;
  leaseUntil: number | null;
  /** Replies must come before this. */
  deadline: number | null;
  replyTo: number | null;
  key: string | null;
  late: boolean;
  error: string | null;
  sentAt: number;
  ackedAt: number | null;
}

export interface SendInput {
  milestone: string;
  type: string;
  sender: string;
  to: string;
  payload: unknown;
  priority?: number;
  /** Relative to now; the type's default when absent. */
  deadlineMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Only for user-defined types: built-in ones have a fixed class. */
  deliveryClass?: DeliveryClass;
  replyTo?: number;
  /** Idempotency key: a second send with the same key from the same sender is a no-op. */
  key?: string;
}

export interface SendResult {
  ids: number[];
  recipients: string[];
  /** The key was seen before: nothing new was sent; `ids` are the first send's. */
  duplicate: boolean;
  /** Copies nobody will get: best effort with no listener, or an open circuit. */
  dropped: number;
  /** Recipients whose circuit is open: their copy waits for the circuit to half-open. */
  held: string[];
}

/** Who exists in a milestone, for checking recipients. */
export interface Directory {
  tasks: string[];
  agents: string[];
}

export interface ReceiveOptions {
  limit?: number;
  /** Overrides each message's lease. */
  leaseMs?: number;
  types?: string[];
}

export interface AckResult {
  id: number;
  recipient: string;
  ackedAt: number;
}

export interface BusCounts {
  pending: number;
  delivered: number;
  acked: number;
  dead: number;
  dropped: number;
  late: number;
}

/**
 * The message bus. SQLite implements it today (sqlite-bus.ts), in the state database; the
 * seam is here so a PostgreSQL queue can replace it. `me` is the receiver's identities (a task
 * agent is both `task:<id>` and `agent:<profile>`).
 */
export interface Bus {
  send(input: SendInput, directory: Directory): SendResult;
  receive(milestone: string, me: string[], options?: ReceiveOptions): Message[];
  /** Acks a message; `effect` runs in the same transaction, so it is applied at most once. */
  ack(milestone: string, me: string[], id: number, effect?: () => void): AckResult;
  /** Answers a request; after its deadline the reply is kept as `late` and `late` is true. */
  reply(
    milestone: string,
    me: string[],
    id: number,
    payload: unknown,
    type?: string,
  ): { reply: Message; late: boolean };
  /** The reply to `id` once it arrives (and acks it), `timeout` after the deadline, else undefined. */
  takeReply(milestone: string, me: string[], id: number): Message | 'timeout' | undefined;
  /** Messages waiting for `me` (pending or received, not acked), without taking them. */
  peek(milestone: string, me: string[]): Message[];
  message(milestone: string, id: number): Message | undefined;
  deadLetters(milestone: string): Message[];
  /** Moves dead letters back to the queue with fresh attempts; returns the ids moved. */
  replay(milestone: string, ids: number[] | 'all'): number[];
  subscribe(milestone: string, channel: string, member: string): void;
  unsubscribe(milestone: string, channel: string, member: string): boolean;
  counts(milestone: string): BusCounts;
  /** Runs `fn` in one transaction (nested calls share it). */
  transaction<T>(fn: () => T): T;
  close(): void;
}
