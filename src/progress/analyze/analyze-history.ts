import { InputError } from '../../shared/errors.js';
import { isCorruptionError } from '../../store/db-file.js';
import { createAggregator, type Aggregator } from './aggregate.js';
import { cacheFile, decode, openCache, removeCacheFile, type AnalyzeCache } from './cache.js';
import { gitLines, streamGit, type StreamEnd } from './git-stream.js';
import { createLogParser, LOG_FORMAT } from './log-parser.js';
import { toRecord } from './record.js';
import { probeRepo, type AnalyzeRepo } from './repo-probe.js';
import type { Analysis, GroupBy } from './types.js';

export interface AnalyzeOptions {
  cwd: string;
  range?: string | undefined;
  since?: string | undefined;
  by: GroupBy;
  env?: NodeJS.ProcessEnv;
}

export interface AnalyzeOutcome {
  analysis: Analysis;
  /** Said once on stderr by the command (a damaged cache, an unwritable state directory). */
  warnings: string[];
}

/** Above this many records, and four times the commits analyzed, unreachable records are pruned. */
const PRUNE_AT = 50_000;

// Flags that make `git log` output independent of the user's configuration.
const LOG_ARGS = [
  '--no-replace-objects',
  '-c',
  'log.showRoot=true',
  'log',
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

/** `cairn analyze`: commit figures of any git repository, from git and the incremental cache. */
export async function analyzeHistory(options: AnalyzeOptions): Promise<AnalyzeOutcome> {
  const { range, since } = checkInput(options);
  const repo = await probeRepo(options.cwd, options.env);
  const revs = [range ?? 'HEAD', ...(since === undefined ? [] : [`--since=${since}`])];
  const base = { range: range ?? 'HEAD', since: since ?? null, shallow: repo.shallow };
  if (range === undefined && !repo.hasHead) {
    const empty = createAggregator(options.by).finish();
    const cache = { enabled: false, hits: 0, parsed: 0, rebuilt: false };
    return { analysis: { ...base, note: 'no commits yet', ...empty, cache }, warnings: [] };
  }

  const warnings: string[] = [];
  const file = cacheFile(repo.stateDir);
  let opened: { cache: AnalyzeCache; rebuilt: boolean } | undefined;
  try {
    opened = openCache(file);
  } catch (error) {
    warnings.push(`analyze cache unavailable (${(error as Error).message}); reading the whole history`);
  }
  if (opened?.rebuilt) warnings.push('analyze cache was damaged; rebuilt');

  let run: Collected;
  try {
    run = await collect(repo, revs, base.range, options.by, opened?.cache);
  } catch (error) {
    if (!opened || !isCorruptionError(error)) throw error;
    // Damage found past the header: start over with an empty cache.
    opened.cache.close();
    removeCacheFile(file);
    opened = openCache(file);
    if (!warnings.includes('analyze cache was damaged; rebuilt'))
      warnings.push('analyze cache was damaged; rebuilt');
    run = await collect(repo, revs, base.range, options.by, opened.cache);
  }
  if (opened) {
    await pruneIfLarge(repo, opened.cache, run.total);
    opened.cache.close();
  }
  const cache = {
    enabled: opened !== undefined,
    hits: run.hits,
    parsed: run.parsed,
    rebuilt: warnings.includes('analyze cache was damaged; rebuilt'),
  };
  return { analysis: { ...base, note: null, ...run.aggregator.finish(), cache }, warnings };
}

interface Collected {
  aggregator: Aggregator;
  hits: number;
  parsed: number;
  total: number;
}

async function collect(
  repo: AnalyzeRepo,
  revs: string[],
  range: string,
  by: GroupBy,
  cache: AnalyzeCache | undefined,
): Promise<Collected> {
  const aggregator = createAggregator(by);
  let parsed = 0;
  const parser = createLogParser((raw) => {
    const record = toRecord(raw);
    parsed += 1;
    aggregator.add(record);
    if (cache && !repo.shallowRoots.has(record.hash)) cache.put(record);
  });
  const onChunk = (chunk: Buffer) => parser.push(chunk);

  let hits = 0;
  const cached = cache ? cache.count() : 0;
  if (!cache || cached === 0) {
    // Nothing cached: one pass of `git log` over the range, no list of commits first.
    const end = await streamGit(repo.cwd, [...LOG_ARGS, ...revs, '--'], onChunk);
    checkEnd(end, range, repo.hasHead);
  } else {
    const list = await gitLines(repo.cwd, ['--no-replace-objects', 'rev-list', ...revs, '--']);
    checkEnd(list.end, range);
    const missing: string[] = [];
    // Most of the cache in range: one scan beats a lookup per commit.
    const rows = list.lines.length * 4 >= cached ? cache.all() : undefined;
    const lookup = rows
      ? (hash: string) => {
          const data = rows.get(hash);
          return data === undefined ? undefined : decode(hash, data);
        }
      : (hash: string) => cache.get(hash);
    for (const hash of list.lines) {
      const record = lookup(hash);
      if (record) {
        hits += 1;
        aggregator.add(record);
      } else missing.push(hash);
    }
    if (missing.length > 0) {
      const input = `${missing.join('\n')}\n`;
      const end = await streamGit(repo.cwd, [...LOG_ARGS, '--no-walk=unsorted', '--stdin'], onChunk, input);
      checkEnd(end, range);
    }
  }
  parser.end();
  cache?.flush();
  return { aggregator, hits, parsed, total: hits + parsed };
}

function checkEnd(end: StreamEnd, range: string, hasHead = true): void {
  if (end.code === 0) return;
  const message = end.stderr.trim().split('\n')[0] ?? '';
  if (!hasHead) {
    throw new InputError(
      'E_BAD_RANGE',
      `the range "${range}" does not resolve: no commits yet on this branch`,
      {
        hint: 'Make a first commit, or name a branch that has commits.',
      },
    );
  }
  if (
    /unknown revision|bad revision|ambiguous argument|invalid object name|bad object|not a valid/i.test(
      message,
    )
  ) {
    throw new InputError(
      'E_BAD_RANGE',
      `the range "${range}" does not resolve in this repository (${message})`,
      {
        hint: 'Give a revision or range git understands: a branch, tag or commit, `main..feature`, `v1.0..HEAD`, `HEAD~50..` (see `git help revisions`).',
      },
    );
  }
  throw new Error(`git log failed (exit ${String(end.code ?? end.signal)}): ${message}`);
}

function checkInput(options: AnalyzeOptions): { range: string | undefined; since: string | undefined } {
  const { range, since } = options;
  if (range !== undefined && (range === '' || range.startsWith('-'))) {
    throw new InputError('E_BAD_RANGE', `"${range}" is not a revision range`, {
      hint: 'Give a range such as `main..feature` or `HEAD~50..`; options go after the command (`--since 2.weeks`).',
    });
  }
  if (since !== undefined && (since.trim() === '' || since.startsWith('-'))) {
    throw new InputError('E_BAD_SINCE', `--since "${since}" is not a date`, {
      hint: 'Give a date git understands: `2024-01-31`, `2.weeks`, `"3 days ago"`.',
    });
  }
  return { range, since };
}

async function pruneIfLarge(repo: AnalyzeRepo, cache: AnalyzeCache, analyzed: number): Promise<void> {
  const count = cache.count();
  if (count < PRUNE_AT || count < analyzed * 4) return;
  const reachable = await gitLines(repo.cwd, ['--no-replace-objects', 'rev-list', '--all', '--reflog']);
  if (reachable.end.code === 0) cache.prune(new Set(reachable.lines));
}
