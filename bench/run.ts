/**
 * Runs the benchmarks in sequence (all, or those named: `tsx bench/run.ts startup`), prints each
 * one's figures, baseline, ratio and goal, writes bench/results/<name>.json, and ends with a
 * summary table. Exit 1 when a benchmark fails to run or its result is wrong; with `--strict`,
 * also when a goal is not met. `--wait-quiet` waits (up to 5 minutes each) until no other work
 * keeps the CPUs busy before each benchmark: on a 2-core machine, a test suite running next to
 * the benchmarks doubles their times. `npm run bench` builds first; run `npm run build` yourself otherwise.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  CLI,
  ROOT,
  cleanupTemps,
  goalMet,
  isBusy,
  otherLoad,
  resetPatience,
  waitQuiet as waitForQuiet,
  log,
  machine,
  table,
  toResult,
  writeResult,
  type BenchOutcome,
  type BenchResult,
} from './lib.js';

const benchmarks: Record<string, () => Promise<BenchOutcome>> = {
  pipeline: async () => (await import('./pipeline.js')).runPipeline(),
  scheduler: async () => (await import('./scheduler.js')).runScheduler(),
  startup: async () => (await import('./startup.js')).runStartup(),
  journal: async () => (await import('./journal.js')).runJournal(),
  resume: async () => (await import('./resume.js')).runResume(),
  analyze: async () => (await import('./analyze.js')).runAnalyze(),
  progress: async () => (await import('./progress.js')).runProgress(),
  conflicts: async () => (await import('./conflicts.js')).runConflicts(),
  bus: async () => (await import('./bus.js')).runBus(),
  'auto-tune': async () => (await import('./auto-tune.js')).runAutoTune(),
  'setup-cache': async () => (await import('./setup-cache.js')).runSetupCache(),
  mcp: async () => (await import('./mcp.js')).runMcp(),
  monitor: async () => (await import('./monitor.js')).runMonitor(),
  serve: async () => (await import('./serve.js')).runServe(),
};

function show(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function printResult(result: BenchResult, file: string): void {
  const lines = [`\n== ${result.name} ==`, 'figures (Cairn):'];
  for (const [key, value] of Object.entries(result.figures)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      lines.push(`  ${key}:`);
      for (const [inner, v] of Object.entries(value)) lines.push(`    ${inner}: ${show(v)}`);
    } else {
      lines.push(`  ${key}: ${show(value)}`);
    }
  }
  lines.push(`baseline (same run): ${result.baseline.description}`);
  for (const [key, value] of Object.entries(result.baseline.figures)) lines.push(`  ${key}: ${show(value)}`);
  lines.push('ratio:');
  for (const [key, value] of Object.entries(result.ratio)) lines.push(`  ${key}: ${value}`);
  lines.push('goals:');
  for (const [key, g] of Object.entries(result.goals)) {
    lines.push(
      `  ${key}: ${g.value}${g.unit ? ` ${g.unit}` : ''} (goal ${result.goal[key]}) ${goalMet(g) ? 'MET' : 'NOT MET'}`,
    );
  }
  for (const note of result.notes) lines.push(`note: ${note}`);
  lines.push(
    `cores busy with other work before/after: ${result.load.before}/${result.load.after}${result.load.busy ? ' (machine was busy: noisy figures)' : ''}`,
  );
  lines.push(`written: ${path.relative(ROOT, file)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const strict = args.includes('--strict');
  const waitQuiet = args.includes('--wait-quiet');
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !(name in benchmarks));
  if (unknown.length > 0) {
    log(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
    return 2;
  }
  if (!existsSync(CLI)) {
    log(`${path.relative(ROOT, CLI)} is missing: run \`npm run build\` first (npm run bench does)`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(benchmarks);
  const mach = machine();
  log(`machine: ${mach.cpus} cpus (${mach.cpuModel}), node ${mach.node}, ${mach.git}`);
  log(`code: ${mach.code.commit.slice(0, 12)}${mach.code.dirty ? ' with uncommitted changes in src/' : ''}`);

  const results: BenchResult[] = [];
  const failures: string[] = [];
  for (const name of selected) {
    const started = performance.now();
    log(`\n[${name}] running…`);
    // --wait-quiet: give other work on the machine up to 5 minutes to finish first.
    resetPatience(waitQuiet ? 300_000 : undefined);
    const before = waitQuiet ? await waitForQuiet(300_000, name) : await otherLoad();
    resetPatience();
    if (isBusy(before)) {
      log(`[${name}] warning: other work keeps ${before} of ${mach.cpus} cores busy; figures will be noisy`);
    }
    try {
      const outcome = await benchmarks[name]!();
      const result = toResult(name, outcome, mach, { before, after: await otherLoad() });
      const file = writeResult(result);
      printResult(result, file);
      results.push(result);
      log(`[${name}] took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      failures.push(name);
      log(`[${name}] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      cleanupTemps();
    }
  }

  const rows: string[][] = [];
  for (const result of results) {
    for (const [key, g] of Object.entries(result.goals)) {
      rows.push([
        result.name,
        key,
        `${g.value}${g.unit ? ` ${g.unit}` : ''}`,
        result.goal[key] ?? '',
        goalMet(g) ? 'yes' : 'NO',
      ]);
    }
  }
  for (const name of failures) rows.push([name, '(benchmark failed)', '-', '-', 'NO']);
  process.stdout.write(`\n== summary ==\n${table(['BENCHMARK', 'MEASURE', 'VALUE', 'GOAL', 'MET'], rows)}\n`);
  const figures: string[][] = [];
  for (const result of results) {
    const f = result.figures;
    const b = result.baseline.figures;
    if (result.name === 'pipeline') {
      figures.push(['pipeline', 'cairn c1', `${String(f.cairn_c1_ms)} ms`, `bash ${String(b.bash_ms)} ms`]);
      figures.push(['pipeline', 'cairn c2', `${String(f.cairn_c2_ms)} ms`, `bash ${String(b.bash_ms)} ms`]);
    } else if (result.name === 'scheduler') {
      figures.push([
        'scheduler',
        'run loop',
        `${String(f.cairn_tasks_per_sec)} tasks/s, ${String(f.cairn_peak_rss_mb)} MB`,
        `hand loop ${String(b.tasks_per_sec)} tasks/s, ${String(b.peak_rss_mb)} MB`,
      ]);
    } else if (result.name === 'startup') {
      figures.push([
        'startup',
        'status --json',
        `${String(f.status_json_ms)} ms (--version ${String(f.version_ms)} ms)`,
        `node -e 0 ${String(b.node_e0_ms)} ms`,
      ]);
    }
  }
  if (figures.length > 0) {
    process.stdout.write(
      `\n${table(['BENCHMARK', 'WHAT', 'CAIRN (median)', 'BASELINE (same run)'], figures)}\n`,
    );
  }
  if (failures.length > 0) return 1;
  if (strict && results.some((result) => !result.met.all)) return 1;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(String(error));
    cleanupTemps();
    process.exitCode = 1;
  },
);
