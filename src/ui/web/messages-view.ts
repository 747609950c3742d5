import { existsSync } from 'node:fs';
import { openCoordinationDb } from '../../bus/db.js';
import { createSqliteBus } from '../../bus/sqlite-bus.js';
import { createSqliteContext } from '../../bus/sqlite-context.js';
import type { Message } from '../../bus/types.js';
import { stateDbFile } from '../../engine/names.js';
import type { MessageView, MessagesView } from './model.js';

const LIMIT = 200;
const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function messageView(m: Message): MessageView {
  return {
    id: m.id,
    type: m.type,
    sender: m.sender,
    address: m.address,
    recipient: m.recipient,
    state: m.state,
    attempts: m.attempts,
    sent_at: new Date(m.sentAt).toISOString(),
    payload: text(m.payload),
    error: m.error,
  };
}

const none = (note: string): MessagesView => ({ available: false, note, inbox: [], dead: [], context: [] });

/**
 * What the bus holds for a task: messages waiting for it (peeked, not taken), its dead letters,
 * and the shared context of its scope and the milestone's. Nothing here sends, takes or acks.
 */
export function readMessages(stateDir: string, milestone: string, task: string): MessagesView {
  const file = stateDbFile(stateDir);
  if (!existsSync(file)) return none('No messages: nothing has run yet.');
  const db = openCoordinationDb(file);
  try {
    const bus = createSqliteBus(db);
    const context = createSqliteContext(db);
    const me = `task:${task}`;
    const inbox = bus.peek(milestone, [me]).slice(0, LIMIT).map(messageView);
    const dead = bus
      .deadLetters(milestone)
      .filter((m) => m.recipient === me || m.sender === me)
      .slice(0, LIMIT)
      .map(messageView);
    const keys = [...context.list({ milestone, task }), ...context.list({ milestone })].slice(0, LIMIT);
    const empty = inbox.length === 0 && dead.length === 0 && keys.length === 0;
    return {
      available: true,
      note: empty ? 'No messages: nothing waits for this task, no dead letters, no shared context.' : '',
      inbox,
      dead,
      context: keys.map((entry) => ({
        key: entry.key,
        task: entry.task,
        version: entry.version,
        value: text(entry.value),
        conflict: entry.conflict,
        updated_at: new Date(entry.updatedAt).toISOString(),
      })),
    };
  } finally {
    db.close();
  }
}

/** The messages panel never breaks the task page: a bus it cannot read is shown as such. */
export function readMessagesSafely(stateDir: string, milestone: string, task: string): MessagesView {
  try {
    return readMessages(stateDir, milestone, task);
  } catch (error) {
    return none(`No messages shown: the message bus could not be read (${(error as Error).message}).`);
  }
}
