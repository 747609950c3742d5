/**
 * `analyze`: `cairn analyze --json` on a generated history of 20,000 commits (about 5 files each:
 * mixed kinds, renames, binary files, merges), cold (no cache) and warm (second run), against the
 * raw `git log --numstat` it has to read, written to /dev/null; and the peak RSS of a cold run on
 * 100,000 commits. One repository of 100,000 commits is generated (git fast-import); a branch
 * marks its first 20,000, and HEAD points at whichever is measured.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LOG_FORMAT } from '../src/progress/analyze/log-parser.js';
import type { Analysis } from '../src/progress/analyze/types.js';
import { generateHistory, initRepository } from '../test/e2e/git-history-generator.js';
import {
  CLI,
  fmtMs,
  git,
  goal,
  log,
  median,
  removeTemp,
  round,
  runIfMain,
  tempDir,
  timeProcess,
  waitQuiet,
  type BenchOutcome,
} from './lib.js';

const COMMITS = Number(process.env.BENCH_ANALYZE_COMMITS ?? 20_000);
const BIG_COMMITS = Number(process.env.BENCH_ANALYZE_BIG_COMMITS ?? 100_000);
const RUNS = Number(process.env.BENCH_ANALYZE_RUNS ?? 5);
const GNU_TIME = '/usr/bin/time';
const SMALL_BRANCH = 'bench-small';

/** The raw read `cairn analyze` does, with the same fields, to /dev/null. */
const GIT_LOG = ['log', '-z', '--numstat', '-M', `--format=${LOG_FORMAT}`, 'HEAD', '--'];

/** Runs a program with stdout on /dev/null (no pipe, no reader): wall time in ms. */
function timeToDevNull(file: string, args: string[], cwd: string): Promise<number> {
  const devNull = openSync('/dev/null', 'w');
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { cwd, stdio: ['ignore', devNull, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`${file} ${args.join(' ')} exited ${String(code)}: ${stderr}`));
    });
  }).finally(() => closeSync(devNull));
}

function dropCache(repo: string): void {
  const file = path.join(repo, '.git', 'cairn', 'analyze-cache.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

async function analyzeOnce(repo: string, commits: number, expect: 'cold' | 'warm'): Promise<number> {
  const timed = await timeProcess(process.execPath, [CLI, 'analyze', '--json'], {
    cwd: repo,
    keepOutput: true,
  });
  if (timed.code !== 0) throw new Error(`cairn analyze exited ${String(timed.code)}: ${timed.stderr}`);
  const result = JSON.parse(timed.stdout) as Analysis;
  const parsed = expect === 'cold' ? commits : 0;
  if (result.commits !== commits || result.cache.parsed !== parsed) {
    throw new Error(
      `${expect} analyze: ${result.commits} commits, ${result.cache.parsed} parsed; expected ${commits} and ${parsed}`,
    );
  }
  return timed.ms;
}

// Node's own peak, printed at exit: GNU time's %M is the larger of node and its git child.
const NODE_PEAK = `data:text/javascript,process.on('exit',()=>process.stderr.write('node-maxrss-kb '+process.resourceUsage().maxRSS+'\\n'))`;

/** Peak RSS (MB) of `cairn analyze --json`: the process tree's (GNU time) and node's own. */
async function peakRss(repo: string, commits: number): Promise<{ tree: number; node: number; ms: number }> {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: the RSS figure needs GNU time`);
  const dir = tempDir('cairn-bench-rss-');
  try {
    const out = path.join(dir, 'time');
    const timed = await timeProcess(
      GNU_TIME,
      ['-f', '%M', '-o', out, process.execPath, '--import', NODE_PEAK, CLI, 'analyze', '--json'],
      { cwd: repo, keepOutput: true },
    );
    if (timed.code !== 0) throw new Error(`cairn analyze exited ${String(timed.code)}: ${timed.stderr}`);
    const result = JSON.parse(timed.stdout) as Analysis;
    if (result.commits !== commits)
      throw new Error(`analyze counted ${result.commits} of ${commits} commits`);
    const treeKb = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
    const nodeKb = Number(/node-maxrss-kb (\d+)/.exec(timed.stderr)?.[1] ?? NaN);
    return { tree: round(treeKb / 1024, 1), node: round(nodeKb / 1024, 1), ms: timed.ms };
  } finally {
    removeTemp(dir);
  }
}

export async function runAnalyze(): Promise<BenchOutcome> {
  const repo = tempDir('cairn-bench-analyze-');
  try {
    initRepository(repo);
    const total = Math.max(COMMITS, BIG_COMMITS);
    const started = performance.now();
    const manifest = await generateHistory(repo, {
      commits: total,
      seed: 2024,
      filesPerCommit: 5,
      mergeEvery: 12,
      branchesAt: { [COMMITS]: SMALL_BRANCH },
    });
    const generatedMs = performance.now() - started;
    const small = manifest.branches[SMALL_BRANCH] ?? manifest.commits;
    log(
      `  analyze: generated ${manifest.commits} commits in ${fmtMs(generatedMs)}; ${small} under ${SMALL_BRANCH}`,
    );

    git(repo, ['symbolic-ref', 'HEAD', `refs/heads/${SMALL_BRANCH}`]);
    const samples = { git: [] as number[], cold: [] as number[], warm: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      await waitQuiet(60_000, 'analyze');
      samples.git.push(await timeToDevNull('git', GIT_LOG, repo));
      dropCache(repo);
      samples.cold.push(await analyzeOnce(repo, small, 'cold'));
      samples.warm.push(await analyzeOnce(repo, small, 'warm'));
      log(
        `  analyze: run ${i + 1}/${RUNS}: git log ${fmtMs(samples.git.at(-1)!)}, cold ${fmtMs(samples.cold.at(-1)!)}, warm ${fmtMs(samples.warm.at(-1)!)}`,
      );
    }

    let rss: { tree: number; node: number; ms: number } | undefined;
    let warmRss: { tree: number; node: number; ms: number } | undefined;
    if (BIG_COMMITS > 0) {
      git(repo, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
      dropCache(repo);
      await waitQuiet(60_000, 'analyze');
      rss = await peakRss(repo, manifest.commits);
      warmRss = await peakRss(repo, manifest.commits);
      log(`  analyze: ${manifest.commits} commits: peak RSS ${rss.tree} MB cold, ${warmRss.tree} MB warm`);
    }

    const m = (values: number[]) => round(median(values), 1);
    // Ratios within a round, then their median: load that comes and goes hits both sides alike.
    const paired = (values: number[]) => median(values.map((value, i) => value / samples.git[i]!));
    const cold = round(paired(samples.cold), 2);
    const warm = round(paired(samples.warm), 3);
    return {
      figures: {
        commits: small,
        merges_in_repository: manifest.merges,
        runs: RUNS,
        cold_ms: m(samples.cold),
        warm_ms: m(samples.warm),
        cold_samples_ms: samples.cold.map((v) => round(v, 1)),
        warm_samples_ms: samples.warm.map((v) => round(v, 1)),
        ...(rss && warmRss
          ? {
              big: {
                commits: manifest.commits,
                cold_ms: round(rss.ms, 1),
                peak_rss_mb: rss.tree,
                node_peak_rss_mb: rss.node,
                warm_ms: round(warmRss.ms, 1),
                warm_peak_rss_mb: warmRss.tree,
              },
            }
          : {}),
        generate_ms: round(generatedMs, 0),
      },
      baseline: {
        description: `\`git ${GIT_LOG.slice(0, 4).join(' ')} --format=<the same fields>\` to /dev/null, interleaved with the cairn runs`,
        figures: { git_log_ms: m(samples.git), git_log_samples_ms: samples.git.map((v) => round(v, 1)) },
      },
      ratio: { 'cold/git_log': cold, 'warm/git_log': warm },
      goals: {
        'cold/git_log': goal(cold, '<=', 1.3),
        'warm/git_log': goal(warm, '<=', 0.2),
        ...(rss ? { peak_rss_mb: goal(rss.tree, '<=', 200, 'MB') } : {}),
      },
      notes: [
        `${RUNS} rounds; each waits for a quiet machine, then runs git log, a cold analyze (cache deleted) and a warm one; ratios are the median of the per-round ratios, times the medians`,
        'peak_rss_mb: GNU time %M of a cold `cairn analyze --json` (the larger of node and its git child); node_peak_rss_mb: node alone',
        'each run checks the JSON: commit count, and cache.parsed = all commits (cold) or 0 (warm)',
      ],
    };
  } finally {
    removeTemp(repo);
  }
}

runIfMain(import.meta.url, async () => {
  const outcome = await runAnalyze();
  process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  return 0;
});
