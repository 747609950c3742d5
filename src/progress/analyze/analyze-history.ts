import { createAggregator, type Aggregator } from './aggregate.js';
import { cacheFile, isCacheDamage, openCache, removeCacheFile, type AnalyzeCache } from './cache.js';
import { gitLines, streamGit } from './git-stream.js';
import { createLogParser, logArgs } from './log-parser.js';
import { checkGitEnd, checkRangeInput, resolveRange } from './range.js';
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

const DAMAGED = 'analyze cache was damaged; rebuilt';
/** Above this many records, and four times the commits analyzed, unreachable records are pruned. */
const PRUNE_AT = 50_000;

// Flags that make `git log` output independent of the user's configuration. Git's cache of
// delta bases (96 MiB by default) is most of its memory on a long history, and no faster here.
const LOG_ARGS = logArgs();

/** `cairn analyze`: commit figures of any git repository, from git and the incremental cache. */
export async function analyzeHistory(options: AnalyzeOptions): Promise<AnalyzeOutcome> {
  const { range, since, by } = options;
  checkRangeInput(range, since);
  const repo = await probeRepo(options.cwd, options.env);
  const base = { range: range ?? 'HEAD', since: since ?? null, shallow: repo.shallow };
  if (range === undefined && !repo.hasHead) {
    const cache = { enabled: false, hits: 0, parsed: 0, rebuilt: false };
    return {
      analysis: { ...base, note: 'no commits yet', ...createAggregator(by).finish(), cache },
      warnings: [],
    };
  }
  const tips = await resolveRange(repo.cwd, base.range, repo.hasHead);
  const query: Query = { repo, range: base.range, tips, since, by };

  const warnings: string[] = [];
  const file = cacheFile(repo.stateDir);
  let opened: { cache: AnalyzeCache; rebuilt: boolean } | undefined;
  try {
    opened = openCache(file);
  } catch (error) {
    warnings.push(`analyze cache unavailable (${(error as Error).message}); reading the whole history`);
  }
  let rebuilt = opened?.rebuilt ?? false;

  let run: Collected;
  try {
    run = await collect(query, opened?.cache);
  } catch (error) {
    if (!opened || !isCacheDamage(error)) throw error;
    // Damage found past the header: start over with an empty cache.
    opened.cache.close();
    removeCacheFile(file);
    opened = openCache(file);
    rebuilt = true;
    run = await collect(query, opened.cache);
  }
  if (rebuilt) warnings.push(DAMAGED);
  if (opened) {
    const failure = opened.cache.writeFailure();
    if (failure !== undefined) warnings.push(`analyze cache not updated (${failure})`);
    else if (run.parsed > 0) await pruneIfLarge(repo, opened.cache, run.hits + run.parsed);
    opened.cache.close();
  }
  const cache = { enabled: opened !== undefined, hits: run.hits, parsed: run.parsed, rebuilt };
  return { analysis: { ...base, note: null, ...run.aggregator.finish(), cache }, warnings };
}

interface Query {
  repo: AnalyzeRepo;
  range: string;
  /** The range resolved by `git rev-parse`. */
  tips: string[];
  since: string | undefined;
  by: GroupBy;
}

interface Collected {
  aggregator: Aggregator;
  hits: number;
  parsed: number;
}

/** Feeds every commit of the range to an aggregator: from the cache when it has it, else from `git log`. */
async function collect(query: Query, cache: AnalyzeCache | undefined): Promise<Collected> {
  const { repo, tips, since } = query;
  const aggregator = createAggregator(query.by);
  const revs = [...tips, ...(since === undefined ? [] : [`--since=${since}`])];
  // A relative --since moves with the clock, and deepening a shallow clone adds commits under the
  // same tips: the remembered list of a range holds only for the same tips, cuts and no date.
  const snapshotKey = since === undefined && cache ? query.range : undefined;
  const snapshotTips = [...tips, ...[...repo.shallowRoots].sort().map((hash) => `shallow ${hash}`)].join(
    '\n',
  );

  let parsed = 0;
  const parsedHashes: string[] = [];
  const parser = createLogParser((raw) => {
    const record = toRecord(raw);
    parsed += 1;
    aggregator.add(record);
    if (snapshotKey !== undefined) parsedHashes.push(record.hash);
    if (cache && !repo.shallowRoots.has(record.hash)) cache.put(record);
  });
  const onChunk = (chunk: Buffer) => parser.push(chunk);

  let hits = 0;
  let members: string[] | undefined;
  if (!cache || cache.isEmpty()) {
    // Nothing cached: one pass of `git log` over the range, no list of commits first.
    checkGitEnd(await streamGit(repo.cwd, [...LOG_ARGS, ...revs, '--'], onChunk), query.range);
  } else {
    const snapshot = snapshotKey === undefined ? undefined : cache.snapshot(snapshotKey);
    let fresh = false;
    if (snapshot?.tips === snapshotTips) members = snapshot.hashes;
    else {
      const list = await gitLines(repo.cwd, ['--no-replace-objects', 'rev-list', ...revs, '--']);
      checkGitEnd(list.end, query.range);
      members = list.lines;
      fresh = true;
    }
    const wanted = new Set(members);
    cache.read(wanted, (record) => {
      hits += 1;
      aggregator.add(record);
    });
    const missing = [...wanted];
    if (missing.length > 0) {
      const input = `${missing.join('\n')}\n`;
      const end = await streamGit(repo.cwd, [...LOG_ARGS, '--no-walk=unsorted', '--stdin'], onChunk, input);
      checkGitEnd(end, query.range);
    }
    if (!fresh) members = undefined;
  }
  parser.end();
  cache?.flush();
  if (cache && snapshotKey !== undefined) {
    const hashes = members ?? (hits === 0 ? parsedHashes : undefined);
    if (hashes) cache.saveSnapshot(snapshotKey, { tips: snapshotTips, hashes });
  }
  return { aggregator, hits, parsed };
}

async function pruneIfLarge(repo: AnalyzeRepo, cache: AnalyzeCache, analyzed: number): Promise<void> {
  const count = cache.count();
  if (count < PRUNE_AT || count < analyzed * 4) return;
  const reachable = await gitLines(repo.cwd, ['--no-replace-objects', 'rev-list', '--all', '--reflog']);
  if (reachable.end.code === 0) cache.prune(new Set(reachable.lines));
}
