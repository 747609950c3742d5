import { classifyFile, type FileKind } from '../../shared/file-kind.js';
import { KINDS } from './types.js';

/** One commit as `git log` printed it, with its numstat already summed per file kind. */
export interface RawCommit {
  hash: string;
  parents: number;
  author: string;
  email: string;
  authorTime: number;
  commitTime: number;
  subject: string;
  /** `Key: value` lines of the trailer block, unfolded. */
  trailers: string;
  /** Files, added, deleted per kind, in `KINDS` order. */
  stats: number[];
  binary: number;
}

/**
 * The `--format` the parser reads, for `git log -z --numstat`. Every field ends with NUL, so no byte
 * of a name, subject or path can be taken for a separator.
 */
export const LOG_FORMAT = '%H%x00%P%x00%an%x00%ae%x00%at%x00%ct%x00%s%x00%(trailers:only,unfold)%x00';
const HEADER_FIELDS = 8;

/**
 * `git log` printing what the parser reads, whatever the user's configuration: NUL-separated
 * numstat with renames, no diff for merges (their parents' commits carry it), no colour, no
 * external diff or textconv. `extra` goes among the log options (e.g. `--ignore-missing`).
 */
export function logArgs(extra: string[] = []): string[] {
  return [
    '--no-replace-objects',
    '-c',
    'log.showRoot=true',
    '-c',
    'core.deltaBaseCacheLimit=16m',
    'log',
    ...extra,
    '-z',
    '--numstat',
    '-M',
    '--diff-merges=off',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-relative',
    '--no-show-signature',
    `--format=${LOG_FORMAT}`,
  ];
}

export interface LogParser {
  push(chunk: Buffer): void;
  /** Flushes the last commit; call once the stream ended. */
  end(): void;
}

const NUL = 0;
const TAB = 9;
const LF = 10;
const DASH = 45;
const kindIndex = new Map<FileKind, number>(KINDS.map((kind, i) => [kind, i * 3]));

/**
 * A push parser for `git log -z --numstat --format=LOG_FORMAT` on raw bytes. Output is a run of
 * NUL-terminated tokens: eight header fields, an empty separator, then numstat entries
 * (`added\tdeleted\tpath`, or `added\tdeleted\t` followed by the old and new path for a rename).
 * Paths and messages need not be UTF-8; names and subjects are decoded with replacement characters.
 */
export function createLogParser(
  onCommit: (commit: RawCommit) => void,
  kindOf: (path: string) => FileKind = classifyFile,
): LogParser {
  let rest: Buffer | undefined;
  let fields: Buffer[] = [];
  let current: RawCommit | undefined;
  // Numstat of a rename waiting for its two paths: lines, and how many paths are still to come.
  let pending: { added: number; deleted: number; binary: boolean } | undefined;
  let pathsToCome = 0;

  const flush = () => {
    if (current) onCommit(current);
    current = undefined;
  };

  const addFile = (path: string, added: number, deleted: number, binary: boolean) => {
    if (!current) return;
    const at = kindIndex.get(kindOf(path)) ?? 0;
    const stats = current.stats;
    stats[at]! += 1;
    if (binary) current.binary += 1;
    else {
      stats[at + 1]! += added;
      stats[at + 2]! += deleted;
    }
  };

  const token = (buf: Buffer, start: number, end: number) => {
    if (pathsToCome > 0) {
      pathsToCome -= 1;
      if (pathsToCome === 0 && pending) {
        addFile(buf.toString('latin1', start, end), pending.added, pending.deleted, pending.binary);
        pending = undefined;
      }
      return;
    }
    if (fields.length > 0 || !current) {
      fields.push(buf.subarray(start, end));
      if (fields.length === HEADER_FIELDS) startCommit();
      return;
    }
    if (start === end) return; // the separator after a header, or the end of the output
    if (!numstat(buf, start, end)) {
      flush();
      fields = [Buffer.from(buf.subarray(start, end))];
    }
  };

  // Reads `added\tdeleted\tpath`; false when the token is not numstat (then it starts the next commit).
  const numstat = (buf: Buffer, start: number, end: number): boolean => {
    let at = buf[start] === LF ? start + 1 : start;
    const added = readCount(buf, at, end);
    if (!added) return false;
    at = added.next;
    const deleted = readCount(buf, at, end);
    if (!deleted) return false;
    const binary = added.value < 0 || deleted.value < 0;
    if (deleted.next === end) {
      pending = { added: added.value, deleted: deleted.value, binary };
      pathsToCome = 2;
    } else {
      addFile(buf.toString('latin1', deleted.next, end), added.value, deleted.value, binary);
    }
    return true;
  };

  const startCommit = () => {
    const [hash, parents, author, email, authorTime, commitTime, subject, trailers] = fields as [
      Buffer,
      Buffer,
      Buffer,
      Buffer,
      Buffer,
      Buffer,
      Buffer,
      Buffer,
    ];
    fields = [];
    current = {
      hash: hash.toString('latin1'),
      parents: countWords(parents),
      author: author.toString('utf8'),
      email: email.toString('utf8'),
      authorTime: Number(authorTime.toString('latin1')) || 0,
      commitTime: Number(commitTime.toString('latin1')) || 0,
      subject: subject.toString('utf8'),
      trailers: trailers.toString('utf8'),
      stats: new Array<number>(KINDS.length * 3).fill(0),
      binary: 0,
    };
  };

  return {
    push(chunk) {
      const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
      rest = undefined;
      let pos = 0;
      for (let nul = buf.indexOf(NUL, pos); nul !== -1; nul = buf.indexOf(NUL, pos)) {
        token(buf, pos, nul);
        pos = nul + 1;
      }
      // Header fields keep views into `buf`: copy what they point at before the next chunk arrives.
      if (fields.length > 0) fields = fields.map((field) => Buffer.from(field));
      if (pos < buf.length) rest = Buffer.from(buf.subarray(pos));
    },
    end() {
      if (rest && rest.length > 0) token(rest, 0, rest.length);
      rest = undefined;
      if (fields.length === HEADER_FIELDS) startCommit();
      flush();
    },
  };
}

/** A decimal count, or `-` (binary, returned as -1), followed by a TAB. */
function readCount(buf: Buffer, start: number, end: number): { value: number; next: number } | undefined {
  if (buf[start] === DASH) return buf[start + 1] === TAB ? { value: -1, next: start + 2 } : undefined;
  let value = 0;
  let at = start;
  for (; at < end; at++) {
    const byte = buf[at]!;
    if (byte === TAB) break;
    if (byte < 48 || byte > 57) return undefined;
    value = value * 10 + (byte - 48);
  }
  if (at === start || at >= end) return undefined;
  return { value, next: at + 1 };
}

function countWords(buf: Buffer): number {
  if (buf.length === 0) return 0;
  let count = 1;
  for (const byte of buf) if (byte === 32) count += 1;
  return count;
}
