/** Shared helpers for the benchmarks: timing, temp repositories, results. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'bin.js');
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const GNU_TIME = '/usr/bin/time';

export interface Machine {
  /** The Cairn code measured: HEAD and whether the working tree had uncommitted changes. */
  code: { commit: string; dirty: boolean };
  cpus: number;
  cpuModel: string;
  node: string;
  git: string;
  platform: string;
}

export function machine(): Machine {
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return {
    code: {
      commit: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim(),
      dirty: status.trim() !== '',
    },
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    git: execFileSync('git', ['--version'], { encoding: 'utf8' }).trim(),
    platform: `${process.platform}-${process.arch}`,
  };
}

/** One goal: `value op target` (e.g. ratio <= 1.25, tasks/s >= 5000). */
export interface Goal {
  value: number;
  op: '<=' | '>=';
  target: number;
  unit: string;
}

export function goal(value: number, op: '<=' | '>=', target: number, unit = ''): Goal {
  return { value, op, target, unit };
}

export function goalMet(g: Goal): boolean {
  return g.op === '<=' ? g.value <= g.target : g.value >= g.target;
}

/** What a benchmark module returns; run.ts adds name, date, machine and writes it out. */
export interface BenchOutcome {
  /** Cairn's own measured figures (medians unless the key says otherwise). */
  figures: Record<string, unknown>;
  /** The reference measured in the same run, with a one-line description. */
  baseline: { description: string; figures: Record<string, unknown> };
  /** Each goal by name; ratios are listed under `ratio` too. */
  goals: Record<string, Goal>;
  ratio: Record<string, number>;
  notes: string[];
}

export interface BenchResult {
  name: string;
  date: string;
  machine: Machine;
  /** Cores busy with other work just before and after (see otherLoad): it makes figures noisy. */
  load: { before: number; after: number; busy: boolean };
  figures: Record<string, unknown>;
  baseline: { description: string; figures: Record<string, unknown> };
  ratio: Record<string, number>;
  /** Goal per name, as text (`<= 1.25`). */
  goal: Record<string, string>;
  /** Per goal, and `all` for all of them. */
  met: Record<string, boolean>;
  goals: Record<string, Goal>;
  notes: string[];
}

function cpuTimes(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * Cores kept busy by other work: sampled over `ms` while this process waits, from /proc/stat
 * (the 1-minute load average elsewhere, which also counts our own recent work).
 */
export async function otherLoad(ms = 1000): Promise<number> {
  const first = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const second = cpuTimes();
  if (!first || !second || second.total === first.total) return round(loadavg()[0] ?? 0, 2);
  return round(((second.busy - first.busy) / (second.total - first.total)) * cpus().length, 2);
}

/** Busy: more than a quarter of a core's worth of other work. */
export function isBusy(load: number): boolean {
  return load > 0.25;
}

/**
 * Time a benchmark may still spend waiting for quiet and retaking contaminated samples; once
 * spent (a machine that never gets quiet), samples are taken as they come and only flagged.
 */
let patienceLeftMs = 0;

export function resetPatience(ms = Number(process.env.BENCH_PATIENCE_MS ?? 180_000)): void {
  patienceLeftMs = ms;
}
resetPatience();

/** Waits (up to `maxMs`, and the patience left) until other work leaves the CPUs alone; returns the last reading. */
export async function waitQuiet(maxMs: number, label: string): Promise<number> {
  const started = performance.now();
  let load = await otherLoad();
  let told = false;
  while (isBusy(load) && performance.now() - started < Math.min(maxMs, patienceLeftMs)) {
    if (!told) log(`  ${label}: waiting for other work to stop (${load} cores busy)…`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    load = await otherLoad();
  }
  patienceLeftMs -= performance.now() - started;
  return load;
}

/**
 * Takes one sample, retaking it (after waiting for quiet) while other work on the machine
 * took more than a quarter core during it, up to `retries` times. Returns the last sample.
 */
export async function sampleQuietly<T extends { otherCores?: number }>(
  label: string,
  take: () => Promise<T>,
  { retries = 2, waitMs = 60_000 } = {},
): Promise<T & { retaken: number }> {
  for (let retaken = 0; ; retaken++) {
    await waitQuiet(waitMs, label);
    const started = performance.now();
    const sample = await take();
    const other = sample.otherCores ?? 0;
    if (!isBusy(other) || retaken >= retries || patienceLeftMs <= 0) return { ...sample, retaken };
    patienceLeftMs -= performance.now() - started;
    log(`  ${label}: other work took ${other} cores during the sample; taking it again`);
  }
}

export function toResult(
  name: string,
  outcome: BenchOutcome,
  mach: Machine,
  load: { before: number; after: number },
): BenchResult {
  const met: Record<string, boolean> = {};
  const goalText: Record<string, string> = {};
  for (const [key, g] of Object.entries(outcome.goals)) {
    met[key] = goalMet(g);
    goalText[key] = `${g.op} ${g.target}${g.unit ? ` ${g.unit}` : ''}`;
  }
  met.all = Object.values(met).every(Boolean);
  return {
    name,
    date: new Date().toISOString(),
    machine: mach,
    load: { ...load, busy: isBusy(Math.max(load.before, load.after)) },
    figures: outcome.figures,
    baseline: outcome.baseline,
    ratio: outcome.ratio,
    goal: goalText,
    met,
    goals: outcome.goals,
    notes: outcome.notes,
  };
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The q-quantile of `values` (q from 0 to 1) by nearest rank; NaN when there are none. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface Timed {
  ms: number;
  /** User + system CPU seconds of the process and all its waited-for children (with `cpu`). */
  cpuSec?: number;
  /**
   * Cores kept busy by other work while it ran (with `cpu`): all CPU used on the machine
   * (/proc/stat) minus the process tree's own. Above ~0.25, the sample is contaminated.
   */
  otherCores?: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program (no shell) and measures its wall time from spawn to exit, in milliseconds. */
export function timeProcess(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; keepOutput?: boolean; cpu?: boolean } = { cwd: ROOT },
): Promise<Timed> {
  // GNU time reports the CPU time of the whole process tree (git subprocesses included).
  const cpuFile =
    options.cpu && existsSync(GNU_TIME) ? path.join(tempDir('cairn-bench-time-'), 'time') : undefined;
  const [program, argv] = cpuFile ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, file, ...args]] : [file, args];
  return new Promise((resolve, reject) => {
    const machineBefore = cpuFile ? cpuTimes() : undefined;
    const started = performance.now();
    const child = spawn(program, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    // Output is collected either way (a full pipe would stall the child); only a tail is kept.
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      const text = (chunks: Buffer[]) => {
        const all = Buffer.concat(chunks).toString('utf8');
        return options.keepOutput ? all : all.slice(-4000);
      };
      let cpuSec: number | undefined;
      if (cpuFile) {
        const [user = 'NaN', sys = 'NaN'] = readFileSync(cpuFile, 'utf8')
          .trim()
          .split('\n')
          .pop()!
          .split(' ');
        cpuSec = Number(user) + Number(sys);
        removeTemp(path.dirname(cpuFile));
      }
      const machineAfter = cpuFile ? cpuTimes() : undefined;
      let otherCores: number | undefined;
      if (cpuSec !== undefined && machineBefore && machineAfter && machineAfter.total > machineBefore.total) {
        const busyCores =
          ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
          cpus().length;
        otherCores = round(Math.max(0, busyCores - cpuSec / (ms / 1000)), 2);
      }
      resolve({
        ms,
        code,
        signal,
        stdout: text(out),
        stderr: text(err),
        ...(cpuSec === undefined ? {} : { cpuSec }),
        ...(otherCores === undefined ? {} : { otherCores }),
      });
    });
  });
}

/** git, synchronously; returns trimmed stdout. */
export function git(cwd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    ...(env ? { env } : {}),
  }).trim();
}

const temps: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTemp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  const index = temps.indexOf(dir);
  if (index >= 0) temps.splice(index, 1);
}

export function cleanupTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Task ids t001…t200 (zero-padded to at least three digits). */
export function taskIds(count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `t${String(i + 1).padStart(width, '0')}`);
}

export const AGENT_COMMAND = ['/bin/sh', '-c', 'echo {task} > {task}.txt'];

/**
 * `.cairn/config.yaml` with one profile (by default `bench`, which writes `<task>.txt` in its
 * worktree), no retries, a 60 s timeout and base `main`; `env` is the profile's environment.
 */
export function benchConfig(
  options: { agent?: string; command?: string[]; concurrency?: number; env?: Record<string, string> } = {},
): string {
  const agent = options.agent ?? 'bench';
  const env = Object.entries(options.env ?? {});
  return [
    'defaults:',
    `  agent: ${agent}`,
    `  concurrency: ${options.concurrency ?? 1}`,
    '  retries: 0',
    '  timeout: 60s',
    '  base: main',
    'agents:',
    `  ${agent}:`,
    `    command: ${JSON.stringify(options.command ?? AGENT_COMMAND)}`,
    ...(env.length > 0 ? ['    env:', ...env.map(([key, value]) => `      ${key}: ${value}`)] : []),
    '',
  ].join('\n');
}

/** `.milestones/001-bench.yaml`: independent tasks, no acceptance checks. */
export function benchSpec(ids: string[]): string {
  const lines = ['id: "001"', 'title: Bench', 'base: main', 'tasks:'];
  for (const id of ids) lines.push(`  - id: ${id}`, `    title: Write ${id}.txt`);
  return `${lines.join('\n')}\n`;
}

export const MILESTONE_BRANCH = 'milestone/001-bench';

/**
 * A git repository on `main` with one commit holding a README, the bench config, a spec (by
 * default of `count` independent tasks) and `files`, with a local identity.
 */
export function createBenchRepo(
  count: number,
  prefix = 'cairn-bench-',
  config = benchConfig(),
  spec = benchSpec(taskIds(count)),
  files: Record<string, string> = {},
): string {
  const root = tempDir(prefix);
  git(root, ['init', '--quiet', '--initial-branch=main']);
  git(root, ['config', 'user.name', 'Cairn Bench']);
  git(root, ['config', 'user.email', 'bench@cairn.invalid']);
  git(root, ['config', 'commit.gpgsign', 'false']);
  mkdirSync(path.join(root, '.cairn'), { recursive: true });
  mkdirSync(path.join(root, '.milestones'), { recursive: true });
  writeFileSync(path.join(root, 'README.md'), '# bench project\n');
  writeFileSync(path.join(root, '.cairn', 'config.yaml'), config);
  writeFileSync(path.join(root, '.milestones', '001-bench.yaml'), spec);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  git(root, ['add', '-A']);
  git(root, ['commit', '--quiet', '-m', 'initial commit']);
  return root;
}

/** A fixed-width text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Runs `main` when `moduleUrl` is the script node was started with (`npx tsx bench/x.ts`). */
export function runIfMain(moduleUrl: string, main: () => Promise<number>): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      log(error instanceof Error ? (error.stack ?? error.message) : String(error));
      cleanupTemps();
      process.exitCode = 1;
    },
  );
}
