import { appendFileSync, closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

/** The most of a phase's output the phases after it see. */
export const MAX_TAIL_BYTES = 3000;

/** Bytes in a log so far (0 when it does not exist yet): where the next phase's output starts. */
export function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Marks where a phase starts in the attempt's log, which all phases share. */
export function markPhase(file: string, line: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `\n--- ${line} ---\n`);
}

/** The last `max` bytes written to a log since `from`, as text ("…" when cut). */
export function readTail(file: string, from: number, max = MAX_TAIL_BYTES): string {
  const size = logSize(file);
  if (size <= from) return '';
  const start = Math.max(from, size - max);
  const buffer = Buffer.alloc(size - start);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  // A cut may split a character: drop what decodes as the replacement mark at the start.
  const text = buffer.toString('utf8').replace(/^\uFFFD+/, '');
  return start > from ? `…${text}` : text;
}
