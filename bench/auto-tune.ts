/**
 * `auto-tune`: a milestone whose acceptance is CPU-heavy, run with `--auto-tune` (starting at
 * concurrency 1) against the best fixed concurrency found by a sweep in the same run.
 */
import {
  CLI,
  benchConfig,
  median,
  createBenchRepo,
  goal,
  log,
  removeTemp,
  round,
  runIfMain,
  timeProcess,
  type BenchOutcome,
} from './lib.js';

const TASKS = Number(process.env.BENCH_TUNE_TASKS ?? 60);
const SWEEP = [1, 2, 3, 4];
const ROUNDS = Number(process.env.BENCH_TUNE_ROUNDS ?? 3);
/** Acceptance: about 250 ms of CPU in a fresh node process. */
const BURN = `node -e "const t=Date.now(); while (Date.now() - t < 250) {}"`;

function createRepo(): string {
  const spec = ['id: "001"', 'title: Bench', 'base: main', 'tasks:'];
  for (let i = 1; i <= TASKS; i++) {
    spec.push(
      `  - id: t${String(i).padStart(3, '0')}`,
      `    title: Task ${i}`,
      `    acceptance: [${JSON.stringify(BURN)}]`,
    );
  }
  const config = benchConfig({ agent: 'writer', command: ['/bin/sh', '-c', 'echo {task} > {task}.txt'] });
  return createBenchRepo(TASKS, 'cairn-bench-tune-', config, `${spec.join('\n')}\n`);
}

async function measure(args: string[]): Promise<{ seconds: number; tasksPerMin: number }> {
  const root = createRepo();
  try {
    const timed = await timeProcess(process.execPath, [CLI, 'run', '001', ...args], {
      cwd: root,
      env: { ...process.env, CAIRN_TUNE_WINDOW_MS: '1000' },
    });
    if (timed.code !== 0)
      throw new Error(`cairn run ${args.join(' ')} exited ${timed.code}: ${timed.stderr.slice(-500)}`);
    const seconds = timed.ms / 1000;
    return { seconds: round(seconds, 2), tasksPerMin: round((TASKS / seconds) * 60, 1) };
  } finally {
    removeTemp(root);
  }
}

export async function runAutoTune(): Promise<BenchOutcome> {
  // Rounds interleave every setting, so load that comes and goes on the machine hits them alike.
  const samples: Record<string, { seconds: number; tasksPerMin: number }[]> = {};
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of SWEEP) {
      const key = `c${c}`;
      (samples[key] ??= []).push(await measure(['--concurrency', String(c)]));
      log(`  auto-tune: round ${round}, fixed concurrency ${c}: ${JSON.stringify(samples[key].at(-1))}`);
    }
    (samples.auto ??= []).push(
      await measure(['--auto-tune', '--max-concurrency', String(Math.max(...SWEEP))]),
    );
    log(`  auto-tune: round ${round}, --auto-tune: ${JSON.stringify(samples.auto.at(-1))}`);
  }
  const medianOf = (list: { seconds: number; tasksPerMin: number }[]) => {
    const seconds = median(list.map((s) => s.seconds));
    return { seconds: round(seconds, 2), tasksPerMin: round((TASKS / seconds) * 60, 1) };
  };
  const sweep = Object.fromEntries(SWEEP.map((c) => [`c${c}`, medianOf(samples[`c${c}`] ?? [])]));
  const auto = medianOf(samples.auto ?? []);
  const [bestKey, best] = Object.entries(sweep).sort((a, b) => b[1].tasksPerMin - a[1].tasksPerMin)[0]!;
  const ratio = round(auto.tasksPerMin / best.tasksPerMin, 3);
  return {
    figures: {
      tasks: TASKS,
      rounds: ROUNDS,
      auto_tune: auto,
      auto_tune_samples_s: (samples.auto ?? []).map((s) => s.seconds),
    },
    baseline: {
      description: `fixed concurrency ${SWEEP.join(', ')} in the same run; the best is ${bestKey}`,
      figures: { sweep, best: bestKey },
    },
    ratio: { 'auto-tune/best fixed throughput': ratio },
    goals: { 'auto-tune/best fixed throughput': goal(ratio, '>=', 0.9) },
    notes: [
      'acceptance burns ~250 ms of CPU in a node process per task; the agent writes one file',
      `median of ${ROUNDS} rounds; each round runs every fixed concurrency, then --auto-tune, each on a new repository`,
      'auto-tune starts at one agent per CPU (no --concurrency given) and judges every 1 s window (CAIRN_TUNE_WINDOW_MS=1000); it doubles while CPU has room until its first decrease',
    ],
  };
}

runIfMain(import.meta.url, async () => {
  process.stdout.write(`${JSON.stringify(await runAutoTune(), null, 2)}\n`);
  return 0;
});
