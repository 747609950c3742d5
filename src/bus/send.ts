import type Database from 'better-sqlite3';
import { InputError } from '../shared/errors.js';
import { statement } from '../store/statements.js';
import { formatAddress, parseAddress, type Address } from './address.js';
import { loadBreaker } from './bus-rows.js';
import {
  leaseOf,
  MAX_PAYLOAD_BYTES,
  RECIPIENT_BREAKER,
  typeDefaults,
  TYPE_PATTERN,
} from './message-types.js';
import type { Directory, SendInput, SendResult } from './types.js';

/** The payload as stored; too large or not JSON-able is bad input. */
export function encodePayload(payload: unknown): string {
  const text = JSON.stringify(payload ?? null);
  // A UTF-16 unit takes at most 3 bytes in UTF-8: most payloads need no count.
  if (text.length * 3 <= MAX_PAYLOAD_BYTES) return text;
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new InputError(
      'E_MSG_TOO_LARGE',
      `the payload is ${bytes} bytes; the limit is ${MAX_PAYLOAD_BYTES}`,
      {
        hint: 'Send a reference instead (a file path, a commit, a context key: cairn ctx set <key> <value>).',
      },
    );
  }
  return text;
}

function checkType(input: SendInput): void {
  if (!TYPE_PATTERN.test(input.type)) {
    throw new InputError('E_MSG_TYPE', `"${input.type}" is not a message type name`, {
      hint: 'Use upper snake case, e.g. TASK_ASSIGNMENT, PROGRESS_UPDATE, COLLABORATION_REQUEST, BLOCKER_ALERT or your own REVIEW_NEEDED.',
    });
  }
}

function members(db: Database.Database, milestone: string, channel: string): string[] {
  const rows = statement(
    db,
    'SELECT member FROM bus_subscriptions WHERE milestone = ? AND channel = ? ORDER BY member',
  ).all(milestone, channel) as { member: string }[];
  return rows.map((row) => row.member);
}

/** The identities an address reaches (never the sender itself for multicast and broadcast). */
function expand(db: Database.Database, input: SendInput, address: Address, directory: Directory): string[] {
  const text = formatAddress(address);
  switch (address.kind) {
    case 'group': {
      const found = members(db, input.milestone, text).filter((m) => m !== input.sender);
      if (found.length === 0) {
        throw new InputError('E_MSG_RECIPIENT', `group ${address.name} has no members besides the sender`, {
          hint: `Members join with: cairn msg subscribe ${text}`,
        });
      }
      return found;
    }
    case 'topic':
      return members(db, input.milestone, text).filter((m) => m !== input.sender);
    case 'all':
      return directory.tasks.map((task) => `task:${task}`).filter((m) => m !== input.sender);
    default:
      return [text];
  }
}

const INSERT = `INSERT INTO bus_messages (milestone, type, sender, address, recipient, payload, priority, class,
  state, attempts, max_attempts, lease_ms, deliver_after, deadline, reply_to, idem_key, sent_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`;

/** Sends one message: one copy per recipient, all in the caller's transaction. */
export function sendMessage(
  db: Database.Database,
  input: SendInput,
  directory: Directory,
  now: number,
): SendResult {
  checkType(input);
  const address = parseAddress(input.to, directory);
  if (typeof address === 'string') {
    throw new InputError('E_MSG_RECIPIENT', `unknown recipient ${input.to}: ${address}`, {
      hint: `Address task:<id> (${directory.tasks.slice(0, 5).join(', ') || 'no tasks'}), agent:<profile>, group:<name>, topic:<name>, all, orchestrator or user.`,
    });
  }
  const defaults = typeDefaults(input.type, input.deliveryClass);
  if (input.deliveryClass && input.deliveryClass !== defaults.class) {
    throw new InputError('E_MSG_CLASS', `${input.type} is always delivered ${defaults.class}`, {
      hint: 'Choose the delivery class only for your own message types.',
    });
  }
  const payload = encodePayload(input.payload);
  if (input.key !== undefined) {
    const seen = statement(
      db,
      'SELECT id, recipient FROM bus_messages WHERE milestone = ? AND sender = ? AND idem_key = ? ORDER BY id',
    ).all(input.milestone, input.sender, input.key) as { id: number; recipient: string }[];
    if (seen.length > 0) {
      return {
        ids: seen.map((r) => r.id),
        recipients: seen.map((r) => r.recipient),
        duplicate: true,
        dropped: 0,
        held: [],
      };
    }
  }
  const text = formatAddress(address);
  const recipients = expand(db, input, address, directory);
  const deadlineMs = input.deadlineMs ?? defaults.deadlineMs;
  const deadline = deadlineMs === undefined ? null : now + deadlineMs;
  const leaseMs = input.leaseMs ?? leaseOf(defaults);
  const maxAttempts = input.maxAttempts ?? defaults.maxAttempts;
  const insert = statement(db, INSERT);
  const row = (recipient: string, state: string, after: number) =>
    Number(
      insert.run(
        input.milestone,
        input.type,
        input.sender,
        text,
        recipient,
        payload,
        input.priority ?? defaults.priority,
        defaults.class,
        state,
        maxAttempts,
        leaseMs,
        after,
        deadline,
        input.replyTo ?? null,
        input.key ?? null,
        now,
      ).lastInsertRowid,
    );
  if (recipients.length === 0) {
    // Nobody listens: best effort is dropped (and counted); anything else is undeliverable.
    const id = row(text, defaults.class === 'best-effort' ? 'dropped' : 'dead', now);
    if (defaults.class !== 'best-effort') {
      statement(db, 'UPDATE bus_messages SET error = ? WHERE id = ?').run('nobody was subscribed', id);
    }
    return { ids: [id], recipients: [], duplicate: false, dropped: 1, held: [] };
  }
  const result: SendResult = { ids: [], recipients, duplicate: false, dropped: 0, held: [] };
  for (const recipient of recipients) {
    const breaker = loadBreaker(db, input.milestone, recipient);
    const open = breaker.state === 'open' && breaker.openedAt !== undefined;
    if (open && defaults.class === 'best-effort') {
      result.dropped++;
      result.ids.push(row(recipient, 'dropped', now));
      continue;
    }
    if (open) result.held.push(recipient);
    const after = open ? Math.max(now, breaker.openedAt! + RECIPIENT_BREAKER.coolDownMs) : now;
    result.ids.push(row(recipient, 'pending', after));
  }
  return result;
}
