/**
 * `setup-cache`: 8 task worktrees of a project with a real npm dependency tree, made ready by
 * `npm ci` in each (baseline) against the setup cache (the first worktree runs `npm ci`, the
 * others get its node_modules: by default a clone where the filesystem makes them, else
 * hardlinks; with `link: false`, copies). Time to ready is the setup phase of each worktree as
 * its attempt log reports it, waits for another worktree's setup included. Disk: the cache
 * entry plus 8 restores against 8 full installs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cloneSupported, cloneTree, linkTree } from '../src/engine/workspace/clone-tree.js';
import {
  CLI,
  git,
  goal,
  log,
  median,
  removeTemp,
  round,
  runIfMain,
  tempDir,
  timeProcess,
  type BenchOutcome,
} from './lib.js';

const WORKTREES = 8;
const ROUNDS = 3;
// Small but real: express alone brings ~65 packages; the rest are everyday utilities.
const DEPENDENCIES = {
  express: '^5.1.0',
  lodash: '^4.17.21',
  chalk: '^4.1.2',
  commander: '^12.1.0',
  debug: '^4.4.0',
  semver: '^7.7.0',
  uuid: '^11.1.0',
  dotenv: '^16.5.0',
};
const SETUP = 'npm ci --prefer-offline --no-audit --no-fund --loglevel=error';

function npm(cwd: string, args: string[]): void {
  execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

function kib(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]);
}

type CacheMode = 'none' | 'default' | 'copy';

function config(mode: CacheMode): string {
  return [
    'defaults: { agent: bench, concurrency: 2, retries: 0, timeout: 10m, base: main }',
    'agents:',
    '  bench: { command: ["/bin/sh", "-c", "echo {task} > {task}.txt"] }',
    'workspace:',
    `  setup: [${JSON.stringify(SETUP)}]`,
    ...(mode === 'none'
      ? []
      : [
          `  cache: [{ path: node_modules, key: [package-lock.json]${mode === 'copy' ? ', link: false' : ''} }]`,
        ]),
    '',
  ].join('\n');
}

function spec(id: string): string {
  const lines = [`id: "${id}"`, `title: Bench ${id}`, 'tasks:'];
  for (let i = 1; i <= WORKTREES; i++) lines.push(`  - { id: w${id}-${i}, title: Worktree ${i} }`);
  return `${lines.join('\n')}\n`;
}

/** A committed project: package.json and its lock from `template`, node_modules ignored. */
function projectRepo(template: string, mode: CacheMode): string {
  const root = tempDir('cairn-bench-setup-');
  git(root, ['init', '--quiet', '--initial-branch=main']);
  git(root, ['config', 'user.name', 'Cairn Bench']);
  git(root, ['config', 'user.email', 'bench@cairn.invalid']);
  mkdirSync(path.join(root, '.cairn'));
  mkdirSync(path.join(root, '.milestones'));
  for (const file of ['package.json', 'package-lock.json']) {
    writeFileSync(path.join(root, file), readFileSync(path.join(template, file)));
  }
  writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
  writeFileSync(path.join(root, '.cairn', 'config.yaml'), config(mode));
  writeFileSync(path.join(root, '.milestones', '001-bench.yaml'), spec('001'));
  git(root, ['add', '-A']);
  git(root, ['commit', '--quiet', '-m', 'sample project']);
  return root;
}

interface RunFigures {
  wall_ms: number;
  ready_ms_each: number[];
  ready_ms_total: number;
}

/** `cairn run <id>`, and the setup phase of each worktree from the attempt logs. */
async function runMilestone(root: string, id: string): Promise<RunFigures> {
  const timed = await timeProcess(process.execPath, [CLI, 'run', id], { cwd: root });
  if (timed.code !== 0) throw new Error(`cairn run ${id} exited ${timed.code}: ${timed.stderr.slice(-2000)}`);
  const logs = path.join(root, '.git', 'cairn', 'logs');
  const ready: number[] = [];
  for (const run of readdirSync(logs)) {
    for (const file of readdirSync(path.join(logs, run)).filter(
      (name) => name.startsWith(`w${id}-`) && name.endsWith('.log'),
    )) {
      const match = /\[cairn\] setup: ready in (\d+) ms/.exec(
        readFileSync(path.join(logs, run, file), 'utf8'),
      );
      if (!match) throw new Error(`${file}: no setup phase in the log`);
      ready.push(Number(match[1]));
    }
  }
  if (ready.length !== WORKTREES)
    throw new Error(`found ${ready.length} setup phases, expected ${WORKTREES}`);
  return {
    wall_ms: round(timed.ms, 0),
    ready_ms_each: ready.sort((a, b) => a - b),
    ready_ms_total: ready.reduce((a, b) => a + b, 0),
  };
}

/** Blocks the filesystem really gave to 8 restores made the way Cairn makes them by default. */
async function defaultRestores(entry: string): Promise<{ du_kib: number; allocated_kib: number }> {
  const dir = tempDir('cairn-bench-copies-');
  const restore = (await cloneSupported(dir)) ? cloneTree : linkTree;
  const free = () => {
    const stats = statfsSync(dir);
    return (stats.bavail * stats.bsize) / 1024;
  };
  const before = free();
  for (let i = 0; i < WORKTREES; i++) await restore(entry, path.join(dir, `w${i}`));
  const allocated = before - free();
  const du = kib(dir);
  removeTemp(dir);
  return { du_kib: du, allocated_kib: Math.max(0, Math.round(allocated)) };
}

/** `npm ci` in each worktree: a fresh repository without a cache. */
async function baselineRun(template: string): Promise<RunFigures> {
  const repo = projectRepo(template, 'none');
  const figures = await runMilestone(repo, '001');
  removeTemp(repo);
  return figures;
}

/** Milestone 001 on an empty cache, then a second milestone that finds the entry. */
async function coldThenWarm(repo: string): Promise<{ cold: RunFigures; warm: RunFigures }> {
  const cold = await runMilestone(repo, '001');
  writeFileSync(path.join(repo, '.milestones', '002-bench.yaml'), spec('002'));
  git(repo, ['add', '-A']);
  git(repo, ['commit', '--quiet', '-m', 'second milestone']);
  return { cold, warm: await runMilestone(repo, '002') };
}

export async function runSetupCache(): Promise<BenchOutcome> {
  const template = tempDir('cairn-bench-npm-');
  writeFileSync(
    path.join(template, 'package.json'),
    `${JSON.stringify({ name: 'sample', version: '1.0.0', private: true, dependencies: DEPENDENCIES }, null, 2)}\n`,
  );
  log('  setup-cache: npm install of the sample project (fills the npm cache)…');
  npm(template, ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  // One more `npm ci` so the baseline below starts with a warm npm cache, as in daily work.
  npm(template, ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
  const lock = JSON.parse(readFileSync(path.join(template, 'package-lock.json'), 'utf8')) as {
    packages: object;
  };
  const packages = Object.keys(lock.packages).length - 1;
  const fullKib = kib(path.join(template, 'node_modules'));

  // Rounds bracketed by baselines (b, cache, b, cache, b…): each round's ratio is against the
  // mean of the baselines around it, so a minute where the machine is slower moves both.
  log(`  setup-cache: baseline, \`npm ci\` in each of ${WORKTREES} worktrees…`);
  const baselines = [await baselineRun(template)];
  const rounds: { cold: RunFigures; warm: RunFigures }[] = [];
  let disk: { entryKib: number; restores: { du_kib: number; allocated_kib: number } } | undefined;
  let reflink = false;
  for (let i = 1; i <= ROUNDS; i++) {
    log(`  setup-cache: round ${i}/${ROUNDS}, with the cache (cold, then a second milestone warm)…`);
    const repo = projectRepo(template, 'default');
    rounds.push(await coldThenWarm(repo));
    if (!disk) {
      const cacheDir = path.join(repo, '.git', 'cairn', 'cache');
      const entries = readdirSync(cacheDir).filter((name) => !name.startsWith('.'));
      if (entries.length !== 1) throw new Error(`expected one cache entry, found ${entries.length}`);
      const entryData = path.join(cacheDir, entries[0]!, 'data');
      disk = { entryKib: kib(entryData), restores: await defaultRestores(entryData) };
      reflink = await cloneSupported(cacheDir);
    }
    removeTemp(repo);
    log(`  setup-cache: round ${i}/${ROUNDS}, baseline…`);
    baselines.push(await baselineRun(template));
  }
  log('  setup-cache: with `link: false` (restores are copies), cold and warm…');
  const copyRepo = projectRepo(template, 'copy');
  const { cold: copied, warm: copiedWarm } = await coldThenWarm(copyRepo);
  removeTemp(copyRepo);
  removeTemp(template);

  const around = (i: number) => (baselines[i]!.ready_ms_total + baselines[i + 1]!.ready_ms_total) / 2;
  const perRound = (pick: 'cold' | 'warm') =>
    rounds.map((r, i) => round(r[pick].ready_ms_total / around(i), 3));
  const coldRatios = perRound('cold');
  const warmRatios = perRound('warm');
  const readyRatio = median(coldRatios);
  const baselineTotal = median(baselines.map((b) => b.ready_ms_total));
  const middle = rounds[coldRatios.indexOf(readyRatio)] ?? rounds[0]!;
  const diskCached = disk!.entryKib + disk!.restores.allocated_kib;
  const diskRatio = round(diskCached / (WORKTREES * fullKib), 3);
  return {
    figures: {
      worktrees: WORKTREES,
      packages,
      rounds: ROUNDS,
      cold_ready_ms_total_each_round: rounds.map((r) => r.cold.ready_ms_total),
      warm_ready_ms_total_each_round: rounds.map((r) => r.warm.ready_ms_total),
      cold_ratio_each_round: coldRatios,
      warm_ratio_each_round: warmRatios,
      cached_first_run_median_round: middle.cold,
      cached_warm_run_median_round: middle.warm,
      copied_first_run: copied,
      copied_warm_run: copiedWarm,
      disk_kib: {
        cache_entry: disk!.entryKib,
        eight_restores_du: disk!.restores.du_kib,
        eight_restores_allocated: disk!.restores.allocated_kib,
        cache_plus_copies: diskCached,
      },
      reflink_supported: reflink,
    },
    baseline: {
      description: `\`${SETUP}\` in each of ${WORKTREES} worktrees (npm cache warm), same Cairn run otherwise, before and after each round; disk: ${WORKTREES} full installs`,
      figures: {
        ready_ms_total_each: baselines.map((b) => b.ready_ms_total),
        npm_ci_run_first: baselines[0],
        eight_full_installs_kib: WORKTREES * fullKib,
        one_install_kib: fullKib,
      },
    },
    ratio: {
      'ready/npm_ci': readyRatio,
      'ready_warm/npm_ci': median(warmRatios),
      'ready_copy/npm_ci': round(copied.ready_ms_total / baselineTotal, 3),
      'ready_copy_warm/npm_ci': round(copiedWarm.ready_ms_total / baselineTotal, 3),
      'wall/npm_ci': round(middle.cold.wall_ms / median(baselines.map((b) => b.wall_ms)), 3),
      'disk/8_installs': diskRatio,
    },
    goals: { 'ready/npm_ci': goal(readyRatio, '<=', 0.2) },
    notes: [
      `time to ready: sum over the 8 worktrees of the setup phase ("[cairn] setup: ready in N ms" in each attempt log), concurrency 2; ready and ready_warm are the median of ${ROUNDS} rounds, each against the mean of the baselines before and after it; ready_copy against the median baseline`,
      'cold: an empty cache (the first worktree runs npm ci, the second waits for it); ready_warm: a second milestone in the same repository, whose worktrees all find the cache entry',
      `ready (the goal) and ready_warm: the default cache entry, restored here as ${reflink ? 'copy-on-write clones' : 'hardlinks to the entry (the filesystem makes no clones)'}; ready_copy: a fresh repository whose entry says \`link: false\` (copies)`,
      `disk: allocated = filesystem free-space drop while making 8 default restores (noisy on a shared disk); ${reflink ? 'clones share blocks until written' : 'hardlinks share every file: only directories take space'}`,
    ],
  };
}

runIfMain(import.meta.url, async () => {
  const outcome = await runSetupCache();
  process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  return 0;
});
