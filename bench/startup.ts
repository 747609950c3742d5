/**
 * `startup`: `cairn status 001 --json` on a milestone of 1,000 done tasks, against `node -e 0`.
 * The journal is filled through the store API (no 1,000-task run needed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import type { CairnEvent } from '../src/store/events.js';
import {
  CLI,
  MILESTONE_BRANCH,
  ROOT,
  createBenchRepo,
  goal,
  log,
  median,
  removeTemp,
  round,
  taskIds,
  tempDir,
  timeProcess,
  type BenchOutcome,
} from './lib.js';

const TASKS = Number(process.env.BENCH_STARTUP_TASKS ?? 1000);
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 15);
const WARMUP = 2;
const PROFILE_RUNS = 5;

/** A repository whose milestone 001 has `count` merged tasks in the journal. */
function createDoneRepo(count: number): string {
  const repo = createBenchRepo(count, 'cairn-bench-startup-');
  const ids = taskIds(count);
  const store = openSqliteStore(path.join(repo, '.git', 'cairn', 'state.db'));
  const run = 'bench-run';
  const hex = (n: number, salt: string) => `${salt}${n.toString(16)}`.padStart(40, '0');
  const events: CairnEvent[] = [
    {
      type: 'milestone.planned',
      milestone: '001',
      title: 'Bench',
      branch: MILESTONE_BRANCH,
      base: 'main',
      specFile: path.join(repo, '.milestones', '001-bench.yaml'),
      tasks: ids.map((id) => ({ id, title: `Write ${id}.txt`, agent: 'bench' })),
    },
    { type: 'run.started', milestone: '001', run, pid: process.pid, host: 'bench', concurrency: 4 },
  ];
  ids.forEach((task, i) => {
    const head = hex(i, 'a');
    events.push(
      { type: 'attempt.started', milestone: '001', task, run, attempt: 1, agent: 'bench', logFile: 'x.log' },
      {
        type: 'attempt.ended',
        milestone: '001',
        task,
        attempt: 1,
        outcome: 'succeeded',
        exitCode: 0,
        signal: null,
        head,
      },
      { type: 'task.state', milestone: '001', task, state: 'merging' },
      { type: 'task.merged', milestone: '001', task, commit: hex(i, 'b'), head },
    );
  });
  events.push({ type: 'run.ended', milestone: '001', run, state: 'done' });
  store.append(events);
  store.close();
  return repo;
}

function checkStatus(stdout: string, count: number): void {
  const parsed = JSON.parse(stdout) as { milestone?: { id?: string }; tasks?: { state?: string }[] };
  const tasks = parsed.tasks ?? [];
  const done = tasks.filter((task) => task.state === 'done').length;
  if (parsed.milestone?.id !== '001' || tasks.length !== count || done !== count) {
    throw new Error(`status --json listed ${tasks.length} tasks, ${done} done; expected ${count} done`);
  }
}

/** In one process: how long node's bootstrap, each module group, and the store take. */
const IMPORT_PROBE = `
const root = ${JSON.stringify(pathToFileURL(ROOT).href)};
const { createRequire } = await import('node:module');
const require = createRequire(root + '/package.json');
const t0 = performance.now();
await import(root + '/dist/cli/program.js');
const t1 = performance.now();
await import(root + '/dist/cli/commands/status.js');
const t2 = performance.now();
const loaded = Object.keys(require.cache);
const yamlLoaded = loaded.some((file) => file.includes('/node_modules/yaml/')) ? 1 : 0;
require('better-sqlite3');
const t3 = performance.now();
const { openSqliteStore } = await import(root + '/dist/store/sqlite-store.js');
const store = openSqliteStore(process.argv[1]);
const rows = store.tasks('001');
store.close();
const t4 = performance.now();
const text = JSON.stringify({ tasks: rows }, null, 2);
const t5 = performance.now();
process.stdout.write(JSON.stringify({
  bootstrap: t0,
  program_and_commander: t1 - t0,
  status_command_modules: t2 - t1,
  better_sqlite3_native: t3 - t2,
  store_open_query_close: t4 - t3,
  json_output: t5 - t4,
  yaml_loaded_by_status_modules: yamlLoaded,
  cjs_modules_loaded_by_status_modules: loaded.length,
}));
`;

type Probe = Record<string, number>;

function category(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : `(${fn || 'native'})`;
  if (url.startsWith('node:internal/modules') || url.startsWith('node:internal/process/esm')) {
    return 'node: module loader';
  }
  if (url.startsWith('node:')) return 'node: other internals';
  const rel = url.replace(pathToFileURL(ROOT).href + '/', '');
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
  if (pkg) return `node_modules/${pkg[1]}`;
  const dist = /^dist\/([^/]+)/.exec(rel);
  if (dist) return `dist/${dist[1]}`;
  return rel;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time by module group over a few `--cpu-prof` runs of the status command (ms per run). */
async function profileStatus(repo: string): Promise<Record<string, number>> {
  const dir = tempDir('cairn-bench-prof-');
  try {
    for (let i = 0; i < PROFILE_RUNS; i++) {
      const timed = await timeProcess(
        process.execPath,
        ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, CLI, 'status', '001', '--json'],
        { cwd: repo },
      );
      if (timed.code !== 0) throw new Error(`profiled status failed: ${timed.stderr}`);
    }
    const totals = new Map<string, number>();
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
      const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      profile.samples.forEach((id, i) => {
        const frame = byId.get(id)?.callFrame;
        const key = frame ? category(frame.url, frame.functionName) : '?';
        totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
      });
    }
    return Object.fromEntries(
      [...totals.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 14)
        .map(([key, us]) => [key, round(us / 1000 / PROFILE_RUNS, 1)]),
    );
  } finally {
    removeTemp(dir);
  }
}

export async function runStartup(): Promise<BenchOutcome> {
  const repo = createDoneRepo(TASKS);
  try {
    const dbFile = path.join(repo, '.git', 'cairn', 'state.db');
    const node = process.execPath;
    const subjects = {
      node_e0: [node, ['-e', '0']],
      version: [node, [CLI, '--version']],
      status: [node, [CLI, 'status', '001', '--json']],
      // The repository probe resolveRepo makes (one git call).
      git_probe: [
        'git',
        ['rev-parse', '--path-format=absolute', '--git-common-dir', '--show-toplevel', 'HEAD'],
      ],
      import_probe: [node, ['--input-type=module', '-e', IMPORT_PROBE, dbFile]],
    } satisfies Record<string, [string, string[]]>;
    type Subject = keyof typeof subjects;
    const samples = Object.fromEntries(Object.keys(subjects).map((key) => [key, [] as number[]])) as Record<
      Subject,
      number[]
    >;
    const probes: Probe[] = [];

    // Interleaved, so drift in the machine's load hits every subject alike.
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (const [key, [file, args]] of Object.entries(subjects) as [Subject, [string, string[]]][]) {
        const timed = await timeProcess(file, args, { cwd: repo, keepOutput: key === 'status' });
        if (timed.code !== 0) throw new Error(`${key} exited ${timed.code}: ${timed.stderr}`);
        if (key === 'status' && i === 0) checkStatus(timed.stdout, TASKS);
        if (key === 'version' && timed.stdout.trim() !== '0.1.0') {
          throw new Error(`--version printed ${timed.stdout}`);
        }
        if (i < WARMUP) continue;
        samples[key].push(timed.ms);
        if (key === 'import_probe') probes.push(JSON.parse(timed.stdout) as Probe);
      }
    }
    log(`  startup: ${RUNS} runs of each subject measured; profiling status (--cpu-prof x${PROFILE_RUNS})`);
    const selfTime = await profileStatus(repo);

    const m = (key: Subject) => round(median(samples[key]), 1);
    const probeKeys = Object.keys(probes[0] ?? {});
    const split = Object.fromEntries(
      probeKeys.map((key) => [key, round(median(probes.map((p) => p[key]!)), 1)]),
    );
    const ratio = round(m('status') / m('node_e0'), 2);
    return {
      figures: {
        tasks: TASKS,
        runs: RUNS,
        status_json_ms: m('status'),
        version_ms: m('version'),
        status_minus_node_ms: round(m('status') - m('node_e0'), 1),
        status_samples_ms: samples.status.map((v) => round(v, 1)),
        split_ms: {
          note: 'medians; in-process timings from a probe that imports the same modules in order (bootstrap = performance.now() at the first line), plus the git call resolveRepo makes (its own process)',
          ...split,
          git_rev_parse_probe: m('git_probe'),
          import_probe_process_total: m('import_probe'),
        },
        cpu_self_time_ms_per_run: selfTime,
      },
      baseline: {
        description: '`node -e 0` (same node binary, same cwd), interleaved with the status runs',
        figures: { node_e0_ms: m('node_e0'), node_e0_samples_ms: samples.node_e0.map((v) => round(v, 1)) },
      },
      ratio: { 'status/node_e0': ratio, 'version/node_e0': round(m('version') / m('node_e0'), 2) },
      goals: { 'status/node_e0': goal(ratio, '<=', 3) },
      notes: [
        `median of ${RUNS} runs each after ${WARMUP} warm-up runs; status output checked (${TASKS} tasks, all done), exit 0`,
        `cpu_self_time_ms_per_run: --cpu-prof (100 µs sampling) self time grouped by module, averaged over ${PROFILE_RUNS} runs; the profile starts after node's bootstrap, and "(idle)" is mostly waiting for the git subprocesses`,
      ],
    };
  } finally {
    removeTemp(repo);
  }
}
