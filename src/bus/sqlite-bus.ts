import type Database from 'better-sqlite3';
import { InputError } from '../shared/errors.js';
import { createBreaker } from '../shared/circuit-breaker.js';
import { statement } from '../store/statements.js';
import {
  MESSAGE_COLUMNS,
  messageRow,
  messageRows,
  saveBreaker,
  selectMessage,
  toMessage,
  type MessageRow,
} from './bus-rows.js';
import { inTransaction } from './db.js';
import { expireLeases, recordAck, takeMessages, type DeliveryEnv } from './delivery.js';
import { encodePayload, sendMessage } from './send.js';
import type { Bus, BusCounts, Message } from './types.js';

export interface SqliteBusOptions {
  now?: () => number;
  random?: () => number;
}

function unknownMessage(id: number, milestone: string): InputError {
  return new InputError('E_MSG_UNKNOWN', `milestone ${milestone} has no message ${id}`, {
    hint: 'See your messages with: cairn msg inbox --peek',
  });
}

/** The message `id`, which must be addressed to one of `me`. */
function mine(db: Database.Database, milestone: string, me: string[], id: number): MessageRow {
  const row = selectMessage(db, milestone, id);
  if (!row) throw unknownMessage(id, milestone);
  if (!me.includes(row.recipient)) {
    throw new InputError('E_MSG_NOT_YOURS', `message ${id} is for ${row.recipient}, not ${me.join(' or ')}`, {
      hint: `Act as its recipient: --as ${row.recipient}`,
    });
  }
  return row;
}

function checkAckable(row: MessageRow): void {
  if (row.state === 'pending' || row.state === 'delivered') return;
  const why: Record<string, [string, string]> = {
    acked: ['was already acked', 'Nothing to do: its effect was applied once.'],
    dead: ['is in the dead-letter queue', `Replay it first: cairn msg replay ${row.id}`],
  };
  const [what, hint] = why[row.state] ?? [`is ${row.state}`, 'Only received messages can be acked.'];
  throw new InputError('E_MSG_STATE', `message ${row.id} ${what}`, { hint });
}

/** The bus on a connection to the state database (see db.ts). */
export function createSqliteBus(db: Database.Database, options: SqliteBusOptions = {}): Bus {
  const env: DeliveryEnv = { now: options.now ?? Date.now, random: options.random ?? Math.random };
  const tx = <T>(fn: () => T) => inTransaction(db, fn);
  const markAcked = statement(
    db,
    `UPDATE bus_messages SET state = 'acked', acked_at = ?, lease_until = NULL WHERE id = ?`,
  );

  // One text per number of identities: built once, so each ack finds its statement at once.
  const ackSql: string[] = [];
  const ackStatement = (identities: number) =>
    statement(
      db,
      (ackSql[identities] ??= `UPDATE bus_messages SET state = 'acked', acked_at = ?, lease_until = NULL
         WHERE id = ? AND milestone = ? AND recipient IN (${Array<string>(identities).fill('?').join(', ')})
           AND state IN ('pending', 'delivered')`),
    );

  return {
    send: (input, directory) => tx(() => sendMessage(db, input, directory, env.now())),
    receive: (milestone, me, receiveOptions = {}) =>
      tx(() => takeMessages(db, milestone, me, receiveOptions, env)),
    ack: (milestone, me, id, effect) =>
      tx(() => {
        const now = env.now();
        // No RETURNING: on a single-row update it costs more than the update itself.
        const { changes } = ackStatement(me.length).run(now, id, milestone, ...me);
        if (changes === 0) {
          // Say why: unknown, someone else's, already acked, dead.
          checkAckable(mine(db, milestone, me, id));
          throw unknownMessage(id, milestone);
        }
        effect?.();
        const recipient =
          me.length === 1
            ? me[0]!
            : (
                statement(db, 'SELECT recipient FROM bus_messages WHERE id = ?').get(id) as {
                  recipient: string;
                }
              ).recipient;
        recordAck(db, milestone, recipient);
        return { id, recipient, ackedAt: now };
      }),
    reply: (milestone, me, id, payload, type = 'REPLY') =>
      tx(() => {
        const request = mine(db, milestone, me, id);
        const now = env.now();
        const late = request.deadline !== null && now > request.deadline;
        const text = encodePayload(payload);
        const result = statement(
          db,
          `INSERT INTO bus_messages (milestone, type, sender, address, recipient, payload, priority, class, state,
             attempts, max_attempts, lease_ms, deliver_after, reply_to, late, error, sent_at)
           VALUES (?, ?, ?, ?, ?, ?, 5, 'at-least-once', ?, 0, 5, 30000, ?, ?, ?, ?, ?)`,
        ).run(
          milestone,
          type,
          request.recipient,
          request.sender,
          request.sender,
          text,
          late ? 'late' : 'pending',
          now,
          id,
          late ? 1 : 0,
          late ? `came ${now - request.deadline!} ms after the deadline` : null,
          now,
        );
        if (request.state === 'pending' || request.state === 'delivered') markAcked.run(now, id);
        const reply = selectMessage(db, milestone, Number(result.lastInsertRowid))!;
        return { reply: toMessage(reply), late };
      }),
    takeReply: (milestone, me, id) =>
      tx(() => {
        const request = selectMessage(db, milestone, id);
        if (!request) throw unknownMessage(id, milestone);
        if (!me.includes(request.sender)) {
          throw new InputError(
            'E_MSG_NOT_YOURS',
            `message ${id} was sent by ${request.sender}, not ${me.join(' or ')}`,
            {
              hint: `Wait as its sender: --as ${request.sender}`,
            },
          );
        }
        const reply = messageRow(
          db,
          `SELECT ${MESSAGE_COLUMNS} FROM bus_messages
           WHERE reply_to = ? AND milestone = ? AND state IN ('pending', 'delivered') ORDER BY id LIMIT 1`,
          id,
          milestone,
        );
        const now = env.now();
        if (reply) {
          markAcked.run(now, reply.id);
          return toMessage({ ...reply, state: 'acked', acked_at: now });
        }
        if (request.deadline !== null && now > request.deadline) {
          statement(db, `UPDATE bus_messages SET error = COALESCE(error, ?) WHERE id = ?`).run(
            'no reply before the deadline',
            id,
          );
          return 'timeout';
        }
        return undefined;
      }),
    peek: (milestone, me) =>
      messageRows(
        db,
        `SELECT ${MESSAGE_COLUMNS} FROM bus_messages WHERE milestone = ? AND recipient IN (${me.map(() => '?').join(', ')})
           AND state IN ('pending', 'delivered') ORDER BY priority DESC, id`,
        milestone,
        ...me,
      ).map(toMessage),
    message: (milestone, id) => {
      const row = selectMessage(db, milestone, id);
      return row ? toMessage(row) : undefined;
    },
    deadLetters: (milestone) =>
      tx(() => {
        // Leases that ran out on their last delivery belong here already.
        expireLeases(db, milestone, env);
        return messageRows(
          db,
          `SELECT ${MESSAGE_COLUMNS} FROM bus_messages WHERE milestone = ? AND state = 'dead' ORDER BY id`,
          milestone,
        ).map(toMessage);
      }),
    replay: (milestone, ids) =>
      tx(() => {
        const dead = statement(
          db,
          `SELECT id, recipient FROM bus_messages WHERE milestone = ? AND state = 'dead'`,
        ).all(milestone) as { id: number; recipient: string }[];
        const chosen = ids === 'all' ? dead : dead.filter((row) => ids.includes(row.id));
        const revive = statement(
          db,
          `UPDATE bus_messages SET state = 'pending', attempts = 0, deliver_after = ?, lease_until = NULL,
             error = 'replayed from the dead-letter queue' WHERE id = ?`,
        );
        // A person replaying is a fresh start for the recipient's circuit too.
        for (const row of chosen) {
          revive.run(env.now(), row.id);
          saveBreaker(db, milestone, row.recipient, createBreaker());
        }
        return chosen.map((row) => row.id);
      }),
    subscribe: (milestone, channel, member) => {
      statement(
        db,
        `INSERT INTO bus_subscriptions (milestone, channel, member, since) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ).run(milestone, channel, member, env.now());
    },
    unsubscribe: (milestone, channel, member) =>
      statement(db, 'DELETE FROM bus_subscriptions WHERE milestone = ? AND channel = ? AND member = ?').run(
        milestone,
        channel,
        member,
      ).changes > 0,
    counts: (milestone) => {
      const counts: BusCounts = { pending: 0, delivered: 0, acked: 0, dead: 0, dropped: 0, late: 0 };
      const rows = statement(
        db,
        'SELECT state, count(*) AS n FROM bus_messages WHERE milestone = ? GROUP BY state',
      ).all(milestone) as { state: keyof BusCounts; n: number }[];
      for (const row of rows) counts[row.state] = row.n;
      // Drops counted without a row each (the orchestrator's progress updates; schema.ts).
      const counted = statement(
        db,
        'SELECT coalesce(sum(count), 0) AS n FROM bus_dropped WHERE milestone = ?',
      ).get(milestone) as { n: number };
      counts.dropped += counted.n;
      return counts;
    },
    transaction: tx,
    close: () => db.close(),
  };
}

export type { Message };
