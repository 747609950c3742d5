import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { classifyFile, KIND_WEIGHTS, type FileKind } from '../shared/file-kind.js';
import { runProcess } from '../shared/process.js';

export type LiveLines = Record<FileKind, { added: number; deleted: number }>;

/** Beyond this many paths, the whole worktree is diffed instead of a pathspec per path. */
const MAX_PATHSPECS = 1_000;
/** Files larger than this count as one line: a generated blob is not progress. */
const MAX_COUNTED_BYTES = 1 << 20;

const GIT_ENV = { ...process.env, GIT_OPTIONAL_LOCKS: '0' };

/**
 * Lines added and deleted in the worktree against `start` (committed or not), by file kind, for
 * the paths the monitor saw change: a tracked file by `git diff --numstat`, a new untracked one
 * by its line count. Never touches the index: the agent owns it.
 */
export async function liveLines(dir: string, start: string, paths: string[]): Promise<LiveLines | undefined> {
  const lines = Object.fromEntries(
    Object.keys(KIND_WEIGHTS).map((kind) => [kind, { added: 0, deleted: 0 }]),
  ) as LiveLines;
  if (paths.length === 0) return lines;
  const spec = paths.length > MAX_PATHSPECS ? [] : paths.map((file) => `:(literal)${file}`);
  const diff = await runProcess('git', ['diff', '--numstat', '-z', '--no-renames', start, '--', ...spec], {
    cwd: dir,
    env: GIT_ENV,
  }).catch(() => undefined);
  if (!diff || diff.code !== 0) return undefined;
  for (const [added, deleted, file] of parseNumstat(diff.stdout)) add(lines, file, added, deleted);
  const untracked = await runProcess(
    'git',
    ['ls-files', '-z', '--others', '--exclude-standard', '--', ...spec],
    { cwd: dir, env: GIT_ENV },
  ).catch(() => undefined);
  if (!untracked || untracked.code !== 0) return lines;
  for (const file of untracked.stdout.split('\0').filter(Boolean)) {
    add(lines, file, await countLines(path.join(dir, file)), 0);
  }
  return lines;
}

function add(lines: LiveLines, file: string, added: number, deleted: number): void {
  const entry = lines[classifyFile(file)];
  entry.added += added;
  entry.deleted += deleted;
}

/** `added\tdeleted\tpath\0` records; binary files (`-`) count as one line changed. */
function parseNumstat(text: string): [number, number, string][] {
  const records: [number, number, string][] = [];
  for (const record of text.split('\0')) {
    const match = /^(\d+|-)\t(\d+|-)\t(.+)$/s.exec(record);
    if (!match) continue;
    const [, added = '-', deleted = '-', file = ''] = match;
    records.push(added === '-' ? [1, 0, file] : [Number(added), Number(deleted), file]);
  }
  return records;
}

async function countLines(file: string): Promise<number> {
  try {
    const data = await readFile(file);
    if (data.length > MAX_COUNTED_BYTES || data.includes(0)) return 1;
    let count = 0;
    for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) count++;
    return data.length > 0 && data[data.length - 1] !== 10 ? count + 1 : count;
  } catch {
    return 0;
  }
}
