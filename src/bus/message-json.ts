import type { Message } from './types.js';

/** A message as JSON (`cairn msg --json`, MCP tools): the stored record, times as ISO text. */
export function messageJson(message: Message) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    ...message,
    deliverAfter: iso(message.deliverAfter),
    leaseUntil: iso(message.leaseUntil),
    deadline: iso(message.deadline),
    sentAt: iso(message.sentAt),
    ackedAt: iso(message.ackedAt),
  };
}
