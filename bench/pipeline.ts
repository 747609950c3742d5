/**
 * `pipeline`: 200 independent tasks whose agent writes one file, run by `cairn run` at
 * concurrency 1 and 2, against bench/pipeline-baseline.sh doing the same git plumbing by hand.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  BENCH_DIR,
  CLI,
  MILESTONE_BRANCH,
  createBenchRepo,
  fmtMs,
  git,
  goal,
  log,
  median,
  removeTemp,
  round,
  sampleQuietly,
  waitQuiet,
  tempDir,
  timeProcess,
  type BenchOutcome,
  type Timed,
} from './lib.js';

const TASKS = Number(process.env.BENCH_PIPELINE_TASKS ?? 200);
/** Budget of measured time for the repeated rounds (each round: bash, cairn c1, cairn c2). */
const BUDGET_MS = Number(process.env.BENCH_PIPELINE_BUDGET_MS ?? 180_000);
const MAX_ROUNDS = Number(process.env.BENCH_PIPELINE_MAX_ROUNDS ?? 5);
const DIAG_TASKS = Number(process.env.BENCH_PIPELINE_DIAG_TASKS ?? 40);
const BASELINE_SCRIPT = path.join(BENCH_DIR, 'pipeline-baseline.sh');

type Variant = 'bash' | 'c1' | 'c2';

function command(variant: Variant, repo: string, count: number): [string, string[]] {
  if (variant === 'bash') return ['bash', [BASELINE_SCRIPT, repo, String(count), MILESTONE_BRANCH]];
  return [process.execPath, [CLI, 'run', '001', '--concurrency', variant === 'c1' ? '1' : '2']];
}

/** The milestone branch holds exactly `count` first-parent merges, one per task, and every file. */
export function verifyPipeline(repo: string, count: number): void {
  const range = [`refs/heads/${MILESTONE_BRANCH}`, '--not', 'main'];
  const merges = Number(git(repo, ['rev-list', '--first-parent', '--min-parents=2', '--count', ...range]));
  const firstParent = Number(git(repo, ['rev-list', '--first-parent', '--count', ...range]));
  const tasks = new Set(
    git(repo, [
      'log',
      '--first-parent',
      '--min-parents=2',
      '--format=%(trailers:key=Task,valueonly)',
      ...range,
    ])
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
  const files = git(repo, ['ls-tree', '--name-only', `refs/heads/${MILESTONE_BRANCH}`])
    .split('\n')
    .filter((name) => /^t\d+\.txt$/.test(name)).length;
  const worktrees = git(repo, ['worktree', 'list', '--porcelain'])
    .split('\n')
    .filter((line) => line.startsWith('worktree ')).length;
  const problems = [
    merges !== count && `${merges} first-parent merges, expected ${count}`,
    firstParent !== count && `${firstParent} first-parent commits, expected ${count} (all merges)`,
    tasks.size !== count && `${tasks.size} distinct Task: trailers, expected ${count}`,
    files !== count && `${files} task files in the tree, expected ${count}`,
    worktrees !== 1 && `${worktrees - 1} task worktrees left behind`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) throw new Error(`pipeline result in ${repo} is wrong: ${problems.join('; ')}`);
}

/**
 * One timed run on a fresh repository, kept until the benchmark ends (cleanupTemps). Deleting
 * it at once would slow the next sample down: ext4 without a journal (this machine's disk)
 * passes over every inode freed in the last one to six minutes each time it allocates one, so
 * a sample taken after deleting thousands of files pays for that deletion in its own creates.
 */
async function measure(variant: Variant, count: number, env?: NodeJS.ProcessEnv): Promise<Timed> {
  const repo = createBenchRepo(count, `cairn-bench-pipeline-${variant}-`);
  const [file, args] = command(variant, repo, count);
  const timed = await timeProcess(file, args, {
    cwd: repo,
    env: { ...process.env, NO_COLOR: '1', ...env },
    cpu: true,
  });
  if (timed.code !== 0) {
    throw new Error(
      `${variant} exited ${timed.code ?? timed.signal}:\n${timed.stderr.slice(-2000)}\n${timed.stdout.slice(-1000)}`,
    );
  }
  verifyPipeline(repo, count);
  return timed;
}

interface GitCall {
  ns: number;
  sub: string;
}

/** A `git` on PATH that logs each call's subcommand and duration, then runs the real git. */
function gitShim(): { env: NodeJS.ProcessEnv; read: () => GitCall[]; dir: string } {
  const dir = tempDir('cairn-bench-shim-');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const logFile = path.join(dir, 'calls.log');
  writeFileSync(logFile, '');
  mkdirSync(path.join(dir, 'bin'));
  const shim = path.join(dir, 'bin', 'git');
  writeFileSync(
    shim,
    [
      '#!/bin/sh',
      's=$(date +%s%N)',
      `${JSON.stringify(realGit)} "$@"`,
      'rc=$?',
      'e=$(date +%s%N)',
      `printf '%s\\t%s\\n' "$((e - s))" "$1 $2 $3 $4" >> ${JSON.stringify(logFile)}`,
      'exit $rc',
      '',
    ].join('\n'),
  );
  chmodSync(shim, 0o755);
  return {
    dir,
    env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH ?? ''}` },
    read: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [ns = '0', args = ''] = line.split('\t');
          const words = args.split(' ');
          // Skip `-C <dir>`, `-c <key=value>` and other leading options to find the subcommand.
          let i = 0;
          while (i < words.length && words[i]!.startsWith('-'))
            i += words[i] === '-C' || words[i] === '-c' ? 2 : 1;
          const sub = words[i] ?? '?';
          // `worktree add` and `worktree remove` are different costs.
          return { ns: Number(ns), sub: sub === 'worktree' ? `worktree ${words[i + 1] ?? ''}` : sub };
        }),
  };
}

export interface GitProfile {
  tasks: number;
  totalCalls: number;
  callsPerTask: number;
  callsOncePerRun: number;
  /** Time spent inside git processes (as seen by the shim), per task. */
  gitMsPerTask: number;
  bySubcommand: Record<string, { callsPerTask: number; oncePerRun: number; msPerTask: number }>;
  wallMsPerTaskShimmed: number;
}

/** Runs a variant once with the shim on a smaller milestone and tallies git calls per task. */
async function profileGit(variant: Variant, count: number): Promise<GitProfile> {
  const shim = gitShim();
  try {
    await waitQuiet(60_000, `git profile ${variant}`);
    const timed = await measure(variant, count, shim.env);
    const calls = shim.read();
    const bySub = new Map<string, { calls: number; ns: number }>();
    for (const call of calls) {
      const entry = bySub.get(call.sub) ?? { calls: 0, ns: 0 };
      entry.calls++;
      entry.ns += call.ns;
      bySub.set(call.sub, entry);
    }
    // Per subcommand: whole calls per task, plus the calls made once per run (fewer than `count`).
    const bySubcommand = Object.fromEntries(
      [...bySub.entries()]
        .sort((a, b) => b[1].ns - a[1].ns)
        .map(([sub, e]) => [
          sub,
          {
            callsPerTask: Math.floor(e.calls / count),
            oncePerRun: e.calls % count,
            msPerTask: round(e.ns / 1e6 / count),
          },
        ]),
    );
    return {
      tasks: count,
      totalCalls: calls.length,
      callsPerTask: Object.values(bySubcommand).reduce((n, e) => n + e.callsPerTask, 0),
      callsOncePerRun: Object.values(bySubcommand).reduce((n, e) => n + e.oncePerRun, 0),
      gitMsPerTask: round(calls.reduce((n, c) => n + c.ns, 0) / 1e6 / count),
      bySubcommand,
      wallMsPerTaskShimmed: round(timed.ms / count),
    };
  } finally {
    removeTemp(shim.dir);
  }
}

export async function runPipeline(): Promise<BenchOutcome> {
  const samples: Record<Variant, number[]> = { bash: [], c1: [], c2: [] };
  const cpu: Record<Variant, number[]> = { bash: [], c1: [], c2: [] };
  const other: Record<Variant, number[]> = { bash: [], c1: [], c2: [] };
  // This machine's speed drifts by 2-3x within minutes, so each Cairn sample is judged against
  // the bash samples taken just before and just after it: bash, c1, c2, bash, c2, c1, bash, …
  const paired: Record<'c1' | 'c2', number[]> = { c1: [], c2: [] };
  let retaken = 0;
  let measuredMs = 0;
  const take = async (variant: Variant, label: string): Promise<number> => {
    const timed = await sampleQuietly(label, () => measure(variant, TASKS));
    retaken += timed.retaken;
    measuredMs += timed.ms;
    samples[variant].push(timed.ms);
    if (timed.cpuSec !== undefined) cpu[variant].push(timed.cpuSec);
    if (timed.otherCores !== undefined) other[variant].push(timed.otherCores);
    const cpuText = timed.cpuSec === undefined ? '' : `, cpu ${timed.cpuSec.toFixed(2)} s`;
    const otherText = timed.otherCores === undefined ? '' : `, other work ${timed.otherCores} cores`;
    log(`  ${label}: ${fmtMs(timed.ms)}${cpuText}${otherText} (verified: ${TASKS} merges)`);
    return timed.ms;
  };
  let before = await take('bash', 'pipeline bash 1');
  let rounds = 0;
  while (rounds < MAX_ROUNDS) {
    const order: ('c1' | 'c2')[] = rounds % 2 === 0 ? ['c1', 'c2'] : ['c2', 'c1'];
    const round: Partial<Record<'c1' | 'c2', number>> = {};
    for (const variant of order)
      round[variant] = await take(variant, `pipeline round ${rounds + 1} ${variant}`);
    const after = await take('bash', `pipeline bash ${rounds + 2}`);
    const baseline = (before + after) / 2;
    for (const variant of order) paired[variant].push((round[variant] ?? 0) / baseline);
    log(
      `  pipeline round ${rounds + 1}: c1/bash ${(paired.c1.at(-1) ?? 0).toFixed(3)}, c2/bash ${(paired.c2.at(-1) ?? 0).toFixed(3)}`,
    );
    before = after;
    rounds++;
    if (measuredMs * ((rounds + 1) / rounds) > BUDGET_MS) break;
  }

  log(`  pipeline: git call profile on ${DIAG_TASKS} tasks (shimmed git, not timed for the goals)`);
  const gitProfile = {
    cairn_c1: await profileGit('c1', DIAG_TASKS),
    bash: await profileGit('bash', DIAG_TASKS),
  };

  const bash = median(samples.bash);
  const c1 = median(samples.c1);
  const c2 = median(samples.c2);
  return {
    figures: {
      tasks: TASKS,
      rounds,
      cairn_c1_ms: round(c1, 1),
      cairn_c2_ms: round(c2, 1),
      cairn_c1_ms_per_task: round(c1 / TASKS),
      cairn_c2_ms_per_task: round(c2 / TASKS),
      cairn_c1_samples_ms: samples.c1.map((v) => round(v, 1)),
      cairn_c2_samples_ms: samples.c2.map((v) => round(v, 1)),
      cairn_c1_min_ms: round(Math.min(...samples.c1), 1),
      cairn_c2_min_ms: round(Math.min(...samples.c2), 1),
      cairn_c1_per_round_ratio: paired.c1.map((v) => round(v, 3)),
      cairn_c2_per_round_ratio: paired.c2.map((v) => round(v, 3)),
      cairn_c1_cpu_s: round(median(cpu.c1)),
      cairn_c2_cpu_s: round(median(cpu.c2)),
      other_work_cores_during_samples: other,
      samples_retaken_for_other_work: retaken,
      git_profile: gitProfile,
    },
    baseline: {
      description: `bench/pipeline-baseline.sh: the same git plumbing by hand, one task after another (${TASKS} tasks)`,
      figures: {
        bash_ms: round(bash, 1),
        bash_ms_per_task: round(bash / TASKS),
        bash_samples_ms: samples.bash.map((v) => round(v, 1)),
        bash_min_ms: round(Math.min(...samples.bash), 1),
        bash_cpu_s: round(median(cpu.bash)),
      },
    },
    ratio: {
      'cairn_c1/bash': round(median(paired.c1), 3),
      'cairn_c2/bash': round(median(paired.c2), 3),
      'median cairn_c1 / median bash': round(c1 / bash, 3),
      'median cairn_c2 / median bash': round(c2 / bash, 3),
      'cpu cairn_c1/bash': round(median(cpu.c1) / median(cpu.bash), 3),
      'cpu cairn_c2/bash': round(median(cpu.c2) / median(cpu.bash), 3),
    },
    goals: {
      'cairn_c1/bash': goal(round(median(paired.c1), 3), '<=', 1.25),
      'cairn_c2/bash': goal(round(median(paired.c2), 3), '<=', 0.8),
    },
    notes: [
      `the ratios are the median over ${rounds} round(s) of each Cairn sample against the mean of the bash samples taken just before and just after it (the machine's speed drifts between minutes); 'median cairn / median bash' is the plain ratio of medians; every run on a fresh repository (all deleted only when the benchmark ends: deleting files between samples slows the next sample's file creation on this disk), timed from spawn to exit, result verified (${TASKS} first-parent merges with Task: trailers, ${TASKS} files, no worktree left)`,
      "each sample waits for the machine to be quiet and is taken again (up to twice, within 3 minutes of waiting per benchmark, BENCH_PATIENCE_MS) when other work took more than 0.25 cores during it (other_work_cores_during_samples: /proc/stat busy time minus the sample's own CPU time)",
      '*_cpu_s: user+system CPU seconds of the whole process tree (GNU time), less sensitive than wall time to other load on the machine; the goals are on wall time',
      'the baseline writes the file with a shell builtin; Cairn spawns the agent (/bin/sh -c echo) per task',
      `git_profile: one extra run of ${DIAG_TASKS} tasks with a logging git shim on PATH (adds ~2 date forks per call, so its wall time is inflated); git's own internal subprocesses are not counted`,
    ],
  };
}
