import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 16 * 1024;
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\r/g;

/** The last `count` non-empty lines of a file, without terminal escapes; [] when it is missing. */
export function tailLines(file: string, count: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, CHUNK);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer
      .toString('utf8')
      .replace(ANSI, '')
      .split('\n')
      .map((line) => line.replace(/\t/g, '  ').trimEnd())
      .filter((line) => line.trim() !== '');
    // A chunk that starts mid-file starts mid-line: drop that partial first line.
    if (size > length) lines.shift();
    return lines.slice(-count);
  } finally {
    closeSync(fd);
  }
}
