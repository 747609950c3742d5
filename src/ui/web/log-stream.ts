import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { AttemptRow, Store } from '../../store/types.js';
import type { SseChannel } from './sse.js';

/** Shown from the start of a log at most; a longer one starts with its last part. */
export const LOG_TAIL_BYTES = 512 * 1024;
const CHUNK = 64 * 1024;

/**
 * The attempt's log file as the journal recorded it. The client names a task and an attempt
 * number, never a path; a recorded path outside the state directory's logs is refused too.
 */
export function attemptLogFile(stateDir: string, row: AttemptRow): string | undefined {
  const logs = path.resolve(stateDir, 'logs') + path.sep;
  const file = path.resolve(row.log_file);
  return file.startsWith(logs) ? file : undefined;
}

export function findAttempt(store: Store, milestone: string, task: string, attempt: number) {
  return store.attempts(milestone).find((row) => row.task === task && row.attempt === attempt);
}

/**
 * Streams a log as `chunk` events (JSON strings) while the attempt runs, then `end`. The file is
 * read by offset every `everyMs`; the stream stops when the client goes away.
 */
export function streamLog(channel: SseChannel, file: string, ended: () => boolean, everyMs = 250): void {
  const decoder = new StringDecoder('utf8');
  let offset = 0;
  try {
    const size = statSync(file).size;
    if (size > LOG_TAIL_BYTES) {
      offset = size - LOG_TAIL_BYTES;
      channel.send('truncated', JSON.stringify({ skipped: offset }));
    }
  } catch {
    // Not written yet: the attempt may be starting.
  }
  const buffer = Buffer.alloc(CHUNK);
  const readMore = (): boolean => {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return false;
    }
    let any = false;
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, CHUNK, offset);
        if (n <= 0) break;
        offset += n;
        any = true;
        const text = decoder.write(buffer.subarray(0, n));
        if (text && !channel.send('chunk', JSON.stringify(text))) return any;
      }
    } finally {
      closeSync(fd);
    }
    return any;
  };
  const tick = () => {
    if (channel.closed) return stop();
    // Read once more after the attempt ended: it may have written its last lines since.
    const done = ended();
    readMore();
    if (done) {
      const rest = decoder.end();
      if (rest) channel.send('chunk', JSON.stringify(rest));
      channel.send('end', JSON.stringify({ bytes: offset }));
      channel.close();
      stop();
    }
  };
  const timer = setInterval(tick, everyMs);
  const stop = () => clearInterval(timer);
  channel.onClose(stop);
  tick();
}
