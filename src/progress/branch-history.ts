import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../shared/errors.js';
import { parseTrailerLines } from '../git/trailers.js';
import { streamGit } from './analyze/git-stream.js';
import { createLogParser, logArgs, type RawCommit } from './analyze/log-parser.js';
import { KINDS } from './analyze/types.js';
import type { CommitFacts, LinesByKind } from './types.js';

export interface BranchHistory {
  commits: CommitFacts[];
  /** Lines of the non-merge commits, per `Task:` trailer. */
  linesByTask: Map<string, LinesByKind>;
  /** Lines of every non-merge commit, whatever its trailers. */
  lines: LinesByKind;
  /** The `Progress:` marker of the newest commit that has one (0–1), if any. */
  marker: number | null;
}

const LOG_ARGS = logArgs(['--ignore-missing']);

export function emptyLines(): LinesByKind {
  return {
    code: { added: 0, deleted: 0 },
    test: { added: 0, deleted: 0 },
    docs: { added: 0, deleted: 0 },
    config: { added: 0, deleted: 0 },
  };
}

function addStats(into: LinesByKind, stats: number[]): void {
  KINDS.forEach((kind, i) => {
    into[kind].added += stats[i * 3 + 1] ?? 0;
    into[kind].deleted += stats[i * 3 + 2] ?? 0;
  });
}

/** `Progress: 40%` (or `0.4`) as a share in 0–1; null when absent or unreadable. */
export function parseMarker(value: string | undefined): number | null {
  const match = value === undefined ? null : /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value);
  if (!match) return null;
  const number = Number(match[1]);
  const share = match[2] === '%' || number > 1 ? number / 100 : number;
  return Math.min(1, Math.max(0, share));
}

/**
 * Streams `git log` of `revs` (e.g. `start..milestone/001-x`) into per-task lines and commit facts.
 * Merges are counted as commits but their diff is not (their parents' commits carry it). A branch
 * that does not exist reads as no history.
 */
export async function readBranchHistory(cwd: string, revs: string[]): Promise<BranchHistory> {
  const history: BranchHistory = { commits: [], linesByTask: new Map(), lines: emptyLines(), marker: null };
  const onCommit = (raw: RawCommit) => {
    const trailers = parseTrailerLines(raw.trailers);
    const task = trailers.get('Task') ?? null;
    const merge = raw.parents >= 2;
    history.commits.push({ time: raw.commitTime, merge, task, agent: trailers.get('Agent') ?? null });
    if (history.marker === null) history.marker = parseMarker(trailers.get('Progress'));
    if (merge) return;
    addStats(history.lines, raw.stats);
    if (task === null) return;
    let lines = history.linesByTask.get(task);
    if (!lines) history.linesByTask.set(task, (lines = emptyLines()));
    addStats(lines, raw.stats);
  };
  const parser = createLogParser(onCommit);
  const end = await streamGit(cwd, [...LOG_ARGS, ...revs, '--'], (chunk) => parser.push(chunk));
  if (end.code !== 0) {
    throw new InputError(
      'E_GIT_LOG',
      `git log ${revs.join(' ')} failed: ${end.stderr.trim().split('\n')[0] ?? ''}`,
      {
        hint: 'Check that the milestone branch exists (`git branch --list "milestone/*"`); `cairn doctor` checks the rest.',
      },
    );
  }
  parser.end();
  return history;
}

interface CachedHistory {
  version: 1;
  key: string;
  commits: CommitFacts[];
  linesByTask: [string, LinesByKind][];
  lines: LinesByKind;
  marker: number | null;
}

/**
 * `readBranchHistory` of `start..<head>` remembered in `file` against the resolved commits, so
 * asking again while the branch has not moved reads no history from git. A damaged or stale file
 * is read again from git and rewritten (atomically: temp file and rename).
 */
export async function readBranchHistoryCached(
  cwd: string,
  file: string,
  start: string,
  head: string,
): Promise<BranchHistory> {
  const key = `${start}..${head}`;
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as CachedHistory;
    if (cached.version === 1 && cached.key === key) {
      return {
        commits: cached.commits,
        linesByTask: new Map(cached.linesByTask),
        lines: cached.lines,
        marker: cached.marker,
      };
    }
  } catch {
    // Missing or unreadable: read it from git below.
  }
  const history = await readBranchHistory(cwd, [key]);
  const entry: CachedHistory = {
    version: 1,
    key,
    commits: history.commits,
    linesByTask: [...history.linesByTask],
    lines: history.lines,
    marker: history.marker,
  };
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(entry));
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written costs speed, never a result.
  }
  return history;
}
