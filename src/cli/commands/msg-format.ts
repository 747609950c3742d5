import type { Message } from '../../bus/types.js';
import { clock } from '../output.js';

/** One message as a line of text: id, type, who, delivery, payload. */
export function messageLine(message: Message): string {
  const via = message.address === message.recipient ? '' : ` via ${message.address}`;
  const parts = [`#${message.id}`, message.type, `from ${message.sender}${via}`, `to ${message.recipient}`];
  if (message.class !== 'best-effort') parts.push(`delivery ${message.attempts}/${message.maxAttempts}`);
  if (message.leaseUntil !== null && message.state === 'delivered') {
    parts.push(`ack by ${clock(new Date(message.leaseUntil))}`);
  }
  if (message.deadline !== null) parts.push(`reply by ${clock(new Date(message.deadline))}`);
  if (message.replyTo !== null) parts.push(`reply to #${message.replyTo}${message.late ? ' (late)' : ''}`);
  if (message.error) parts.push(`(${message.error})`);
  return `${parts.join('  ')}\n  ${JSON.stringify(message.payload)}`;
}

export { messageJson } from '../../bus/message-json.js';
