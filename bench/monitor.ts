/**
 * `monitor`: the file monitor on a generated 50,000-file repository — watcher start-up time, its
 * memory (RSS of a process that only watches, against a bare Node process), CPU while idle, and
 * the latency from a file write to its correlation with the task (p50/p95). Baselines in the same
 * run: chokidar 4 watching the same tree (the other watcher DESIGN.md names) until ready, and one
 * `git status --untracked-files=all`, the walk the stall detector did without a monitor.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  git,
  goal,
  log,
  median,
  quantile,
  removeTemp,
  round,
  ROOT,
  tempDir,
  timeProcess,
  type BenchOutcome,
} from './lib.js';

const FILES = Number(process.env.BENCH_MONITOR_FILES ?? 50_000);
const PER_DIR = 100;
const WRITES = Number(process.env.BENCH_MONITOR_WRITES ?? 60);
const DEBOUNCE_MS = 50;
const RUNS = 3;

/** A committed repository of FILES small files, 100 per folder, half under src/ and half under lib/. */
function generateRepo(): string {
  const dir = tempDir('cairn-bench-monitor-');
  const started = performance.now();
  for (let i = 0; i < FILES; i++) {
    const top = i < FILES / 2 ? 'src' : 'lib';
    const folder = path.join(dir, top, `d${Math.floor(i / PER_DIR)}`);
    if (i % PER_DIR === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  writeFileSync(path.join(dir, '.gitignore'), 'dist/\n');
  git(dir, ['init', '-q', '--initial-branch=main']);
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'user.name=bench', '-c', 'user.email=bench@cairn.invalid', 'commit', '-qm', 'files']);
  log(
    `  monitor: generated and committed ${FILES} files in ${round((performance.now() - started) / 1000, 1)} s`,
  );
  return dir;
}

/** chokidar 4 on the same tree, in a process of its own: time to `ready` and peak RSS. */
function chokidarScript(dir: string): string {
  return `
const { watch } = await import('chokidar');
const t0 = performance.now();
const watcher = watch(${JSON.stringify(dir)}, {
  ignoreInitial: true,
  ignored: (p) => p.includes('/.git') || p.includes('/node_modules'),
});
await new Promise((resolve, reject) => { watcher.on('ready', resolve); watcher.on('error', reject); });
const startupMs = performance.now() - t0;
await watcher.close();
console.log(JSON.stringify({ startupMs, maxRssKB: process.resourceUsage().maxRSS }));
`;
}

/** The measuring process: imports the shipped dist/ monitor, prints one JSON line. */
function childScript(dir: string): string {
  const monitorUrl = pathToFileURL(path.join(ROOT, 'dist', 'monitor', 'file-monitor.js')).href;
  return `
import { writeFileSync } from 'node:fs';
import path from 'node:path';
const dir = ${JSON.stringify(dir)};
const rssBefore = process.memoryUsage().rss;
const { startFileMonitor } = await import(${JSON.stringify(monitorUrl)});
const seen = new Map();
const raw = [];
const t0 = performance.now();
const monitor = await startFileMonitor({
  dir,
  own: { task: 'api', files: ['src/**'] },
  others: () => [{ task: 'lib', files: ['lib/**'] }],
  debounceMs: ${DEBOUNCE_MS},
  onBatch: (batch) => {
    const at = performance.now();
    raw.push(batch.latencyMs);
    for (const p of batch.paths) if (!seen.has(p)) seen.set(p, { at, out: batch.correlation.outOfScope.includes(p) });
  },
});
const startupMs = performance.now() - t0;
const rssWatching = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
await new Promise((r) => setTimeout(r, 2000));
const idle = process.cpuUsage(cpu0);
const latencies = [];
let wrongScope = 0;
for (let i = 0; i < ${WRITES}; i++) {
  const folder = i % 2 === 0 ? 'src/d' + (i % 200) : 'lib/d' + (${FILES / 2 / PER_DIR} + (i % 200));
  const file = folder + '/new' + i + '.ts';
  const t = performance.now();
  writeFileSync(path.join(dir, file), 'x\\n');
  while (!seen.has(file)) {
    if (performance.now() - t > 10000) throw new Error('no event for ' + file);
    await new Promise((r) => setTimeout(r, 2));
  }
  latencies.push(seen.get(file).at - t);
  if (seen.get(file).out !== (i % 2 === 1)) wrongScope++;
  await new Promise((r) => setTimeout(r, ${DEBOUNCE_MS * 2}));
}
await monitor.stop();
console.log(JSON.stringify({
  startupMs, rssBefore, rssWatching, maxRssKB: process.resourceUsage().maxRSS,
  idleCpuMsPerSec: (idle.user + idle.system) / 1000 / 2, latencies, raw, wrongScope,
}));
`;
}

interface Child {
  startupMs: number;
  rssBefore: number;
  rssWatching: number;
  maxRssKB: number;
  idleCpuMsPerSec: number;
  latencies: number[];
  raw: number[];
  wrongScope: number;
}

async function measure<T>(dir: string, script: string): Promise<T> {
  // Run from the project so the child resolves its packages (chokidar) like the project does.
  const timed = await timeProcess(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    keepOutput: true,
  });
  if (timed.code !== 0) throw new Error(`monitor child failed (${timed.code}): ${timed.stderr}`);
  return JSON.parse(timed.stdout.trim().split('\n').pop() ?? '') as T;
}

export async function runMonitor(): Promise<BenchOutcome> {
  const dir = generateRepo();
  try {
    const children: Child[] = [];
    const status: number[] = [];
    const bare: number[] = [];
    const chokidar: { startupMs: number; maxRssKB: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const gitStatus = await timeProcess('git', ['status', '--porcelain', '--untracked-files=all'], {
        cwd: dir,
      });
      if (gitStatus.code !== 0) throw new Error(`git status failed: ${gitStatus.stderr}`);
      status.push(gitStatus.ms);
      const node = await timeProcess(
        process.execPath,
        ['-e', 'console.log(JSON.stringify({ maxRssKB: process.resourceUsage().maxRSS }))'],
        { cwd: dir, keepOutput: true },
      );
      bare.push((JSON.parse(node.stdout) as { maxRssKB: number }).maxRssKB);
      children.push(await measure<Child>(dir, childScript(dir)));
      chokidar.push(await measure<{ startupMs: number; maxRssKB: number }>(dir, chokidarScript(dir)));
      // Writes of the run are removed so each run starts from the same clean tree.
      git(dir, ['clean', '-qfd']);
    }
    const startup = median(children.map((c) => c.startupMs));
    const gitMs = median(status);
    const rssMB = median(children.map((c) => c.maxRssKB)) / 1024;
    const bareMB = median(bare) / 1024;
    const latencies = children.flatMap((c) => c.latencies);
    const raw = children.flatMap((c) => c.raw);
    const wrong = children.reduce((sum, c) => sum + c.wrongScope, 0);
    if (wrong > 0) throw new Error(`${wrong} writes were correlated to the wrong scope`);
    const p95 = quantile(latencies, 0.95);
    const chokidarMs = median(chokidar.map((c) => c.startupMs));
    const chokidarMB = median(chokidar.map((c) => c.maxRssKB)) / 1024;
    return {
      figures: {
        files: FILES,
        watcher_startup_ms: round(startup, 1),
        peak_rss_mb: round(rssMB, 1),
        rss_over_bare_node_mb: round(rssMB - bareMB, 1),
        idle_cpu_ms_per_s: round(median(children.map((c) => c.idleCpuMsPerSec)), 2),
        write_to_correlation_ms: {
          p50: round(median(latencies), 1),
          p95: round(p95, 1),
          samples: latencies.length,
        },
        first_event_to_correlation_ms: { p50: round(median(raw), 1), p95: round(quantile(raw, 0.95), 1) },
        debounce_ms: DEBOUNCE_MS,
      },
      baseline: {
        description:
          'chokidar 4 watching the same tree until ready; `git status --porcelain --untracked-files=all` (the worktree read without a monitor); a bare `node -e` for memory',
        figures: {
          chokidar_startup_ms: round(chokidarMs, 1),
          chokidar_peak_rss_mb: round(chokidarMB, 1),
          git_status_ms: round(gitMs, 1),
          bare_node_rss_mb: round(bareMB, 1),
        },
      },
      ratio: {
        'watcher_startup/chokidar_startup': round(startup / chokidarMs, 3),
        'watcher_rss/chokidar_rss': round(rssMB / chokidarMB, 3),
        'watcher_startup/git_status': round(startup / gitMs, 3),
      },
      goals: {
        'watcher_startup/chokidar_startup': goal(round(startup / chokidarMs, 3), '<=', 0.5),
        watcher_startup_ms: goal(round(startup, 1), '<=', 1000, 'ms'),
        rss_over_bare_node_mb: goal(round(rssMB - bareMB, 1), '<=', 100, 'MB'),
        write_to_correlation_p95_ms: goal(round(p95, 1), '<=', 500, 'ms'),
        idle_cpu_ms_per_s: goal(round(median(children.map((c) => c.idleCpuMsPerSec)), 2), '<=', 10, 'ms/s'),
      },
      notes: [
        `${RUNS} child processes, each: start the watcher on the ${FILES}-file tree, 2 s idle, then ${WRITES} writes one at a time (half in the task's scope, half in another task's), each awaited until correlated`,
        `latency includes the ${DEBOUNCE_MS} ms debounce and the git check-ignore of the batch; every write was correlated to the right scope`,
        'the native watcher (inotify) walks the tree once at start, watching folders; chokidar stats every file and keeps one fs.watch per folder; git status compares the index with every file',
      ],
    };
  } finally {
    removeTemp(dir);
  }
}
