/**
 * `resume`: a milestone of 1,000 tasks with ≥100,000 journal events, killed mid-run (500 merges
 * on the branch, 4 attempts left `running` with dead pids): time from `cairn run` start to the
 * first agent started again, against the same for a fresh run of that spec. Goal ≤ 1.5×.
 *
 *   npx tsx bench/resume.ts        (npm run build first: it times dist/cli/bin.js)
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  runIfMain,
  CLI,
  cleanupTemps,
  fmtMs,
  goal,
  log,
  machine,
  median,
  otherLoad,
  removeTemp,
  round,
  tempDir,
  toResult,
  writeResult,
  type BenchOutcome,
} from './lib.js';
import { createResumeRepo, seedKilledRun, type SeedInfo, type SeedShape } from './lib-resume.js';

const SAMPLES = Number(process.env.BENCH_RESUME_SAMPLES ?? 5);
const SHAPE: SeedShape = {
  tasks: 1000,
  merged: 500,
  running: 4,
  failed: 40,
  interrupted: 60,
  minEvents: 100_000,
};
const GOAL = 1.5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pids whose environment holds `MARK_DIR=<markDir>`: the agents of one sample. */
function agentsOf(markDir: string): number[] {
  const needle = Buffer.from(`MARK_DIR=${markDir}\0`);
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`).includes(needle)) found.push(Number(name));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Process group of `pid` (field 5 of /proc/<pid>/stat), or undefined when it is gone. */
function groupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

interface Sample {
  /** From spawn of `cairn run` to the first agent's marker file, parent's clock (5 ms polling). */
  ms: number;
  /** Same, with the agent's own `date +%s%N` against the parent's wall clock at spawn. */
  agentClockMs: number;
  firstTask: string;
  agentsSeen: number;
}

/** Starts `cairn run 001 --concurrency 4` in `repo`, waits for the first agent, kills everything. */
async function timeToFirstAgent(repo: string): Promise<Sample> {
  const markDir = tempDir('cairn-bench-marks-');
  const stderr: Buffer[] = [];
  const wallAtSpawn = Date.now();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'run', '001', '--concurrency', '4'], {
    cwd: repo,
    env: { ...process.env, NO_COLOR: '1', MARK_DIR: markDir },
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = String(code ?? signal);
  });
  let first: string | undefined;
  let ms = 0;
  const deadline = started + 60_000;
  while (!first) {
    const marks = readdirSync(markDir).filter((name) => name.endsWith('.start'));
    if (marks.length > 0) {
      ms = performance.now() - started;
      first = marks.sort()[0]!;
      break;
    }
    if (exited !== undefined || performance.now() > deadline) break;
    await sleep(5);
  }
  // Kill the run's whole group, then the agents (they run in groups of their own).
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  for (let round = 0; round < 3; round++) {
    for (const pid of agentsOf(markDir)) {
      const group = groupOf(pid);
      if (group !== undefined && group > 1) killQuietly(-group);
      killQuietly(pid);
    }
    await sleep(20);
  }
  if (!first) {
    removeTemp(markDir);
    throw new Error(
      `no agent started in ${repo} (cairn ${exited === undefined ? 'still running after 60 s' : `exited ${exited}`}):\n${Buffer.concat(stderr).toString('utf8').slice(-2000)}`,
    );
  }
  // The earliest agent by its own clock (several may have started within the polling interval).
  let agentNs = Infinity;
  const names = readdirSync(markDir).filter((name) => name.endsWith('.start'));
  for (const name of names) {
    const value = Number(readFileSync(path.join(markDir, name), 'utf8').trim());
    if (Number.isFinite(value) && value > 0) agentNs = Math.min(agentNs, value);
  }
  removeTemp(markDir);
  return {
    ms,
    agentClockMs: Number.isFinite(agentNs) ? agentNs / 1e6 - wallAtSpawn : Number.NaN,
    firstTask: first.replace(/\.start$/, ''),
    agentsSeen: names.length,
  };
}

/** Copies the seeded template (cp -a: same files, a repo of its own for each sample). */
async function copyOf(template: string): Promise<string> {
  const dir = tempDir('cairn-bench-resume-copy-');
  await new Promise<void>((resolve, reject) => {
    const cp = spawn('cp', ['-a', `${template}/.`, dir], { stdio: 'ignore' });
    cp.on('error', reject);
    cp.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`cp exited ${code}`))));
  });
  return dir;
}

async function countEventsAsync(repo: string): Promise<number> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.join(repo, '.git', 'cairn', 'state.db'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export async function runResume(): Promise<BenchOutcome> {
  log(
    `  resume: building the killed run (${SHAPE.tasks} tasks, ${SHAPE.merged} merges, ≥${SHAPE.minEvents} events)…`,
  );
  const template = createResumeRepo(SHAPE.tasks, 'cairn-bench-resume-template-');
  const seed: SeedInfo = seedKilledRun(template, SHAPE);
  const events = await countEventsAsync(template);
  if (events < SHAPE.minEvents) throw new Error(`seeded only ${events} events`);
  log(
    `  resume: seeded ${events} events, ${seed.attempts} attempts, ${seed.runs} earlier runs, ` +
      `db ${(seed.dbBytes / 1e6).toFixed(1)} MB + wal ${(seed.walBytes / 1e6).toFixed(1)} MB ` +
      `(git ${seed.buildMs.git} ms, journal ${seed.buildMs.journal} ms)`,
  );

  const resume: Sample[] = [];
  const fresh: Sample[] = [];
  const other: number[] = [];
  let eventsAfter = 0;
  for (let i = 0; i < SAMPLES; i++) {
    // Alternate which goes first, so drift in machine load hits both alike.
    const order: ('resume' | 'fresh')[] = i % 2 === 0 ? ['resume', 'fresh'] : ['fresh', 'resume'];
    for (const kind of order) {
      const repo =
        kind === 'resume'
          ? await copyOf(template)
          : createResumeRepo(SHAPE.tasks, 'cairn-bench-resume-fresh-');
      try {
        const before = await otherLoad(300);
        const sample = await timeToFirstAgent(repo);
        other.push(before);
        (kind === 'resume' ? resume : fresh).push(sample);
        if (kind === 'resume' && i === 0) eventsAfter = await countEventsAsync(repo);
        log(
          `  resume sample ${i + 1} ${kind.padEnd(6)}: first agent after ${fmtMs(sample.ms)} ` +
            `(agent clock ${fmtMs(sample.agentClockMs)}; task ${sample.firstTask}; other work ${before} cores)`,
        );
      } finally {
        removeTemp(repo);
      }
    }
  }
  removeTemp(template);

  const r = median(resume.map((s) => s.ms));
  const f = median(fresh.map((s) => s.ms));
  const ratio = round(r / f, 3);
  return {
    figures: {
      tasks: SHAPE.tasks,
      merged_on_branch: SHAPE.merged,
      journal_events: events,
      journal_events_after_resume_started: eventsAfter,
      attempts_in_journal: seed.attempts,
      earlier_runs_in_journal: seed.runs,
      db_bytes: seed.dbBytes,
      db_wal_bytes: seed.walBytes,
      db_mb: round((seed.dbBytes + seed.walBytes) / 1e6, 1),
      unfinished: {
        running_dead_pid: SHAPE.running,
        failed: SHAPE.failed,
        interrupted_pending: SHAPE.interrupted,
        never_started: SHAPE.tasks - SHAPE.merged - SHAPE.running - SHAPE.failed - SHAPE.interrupted,
      },
      resume_first_agent_ms: round(r, 1),
      resume_samples_ms: resume.map((s) => round(s.ms, 1)),
      resume_agent_clock_ms: round(median(resume.map((s) => s.agentClockMs).filter(Number.isFinite)), 1),
      resume_first_task: resume[0]?.firstTask,
      fixture_build_ms: seed.buildMs,
      other_work_cores_before_samples: other,
    },
    baseline: {
      description: `a fresh run of the same ${SHAPE.tasks}-task spec (no state, no milestone branch): spawn to first agent start`,
      figures: {
        fresh_first_agent_ms: round(f, 1),
        fresh_samples_ms: fresh.map((s) => round(s.ms, 1)),
        fresh_agent_clock_ms: round(median(fresh.map((s) => s.agentClockMs).filter(Number.isFinite)), 1),
        fresh_first_task: fresh[0]?.firstTask,
      },
    },
    ratio: { 'resume/fresh': ratio },
    goals: { 'resume/fresh': goal(ratio, '<=', GOAL) },
    notes: [
      `median of ${SAMPLES} samples each, resume and fresh alternating; each resume sample runs on its own copy (cp -a) of one seeded repository, each fresh sample on a new repository`,
      'time: parent clock from spawn of `node dist/cli/bin.js run 001 --concurrency 4` to the first $MARK_DIR/<task>.start file, polled every 5 ms; *_agent_clock_ms is the same from the agent’s own `date +%s%N` (wall clocks)',
      'after the first agent starts, the cairn process group is SIGKILLed, then every process whose environment holds the sample’s MARK_DIR (found in /proc) and its group',
      `fixture: merges and task branches written with git fast-import (2-parent merges with Milestone:/Task: trailers on the first-parent line); journal written through openSqliteStore in batches: ${seed.runs} earlier runs each marking every open task ready and reconciled back to pending, merged tasks with full attempt histories (every third needed a second attempt), failed tasks with 3 failed attempts, interrupted attempts, and the last run's ${SHAPE.running} attempts left running with a pid that cannot exist; no lease row`,
    ],
  };
}

/** Standalone: `npx tsx bench/resume.ts`. */
export async function main(): Promise<number> {
  const mach = machine();
  log(`machine: ${mach.cpus} cpus, node ${mach.node}, ${mach.git}`);
  const before = await otherLoad();
  try {
    const outcome = await runResume();
    const result = toResult('resume', outcome, mach, { before, after: await otherLoad() });
    const file = writeResult(result);
    const f = outcome.figures;
    const b = outcome.baseline.figures;
    process.stdout.write(
      [
        '== resume ==',
        `journal: ${String(f.journal_events)} events, ${String(f.db_mb)} MB (db + wal), ${SHAPE.merged} of ${SHAPE.tasks} tasks merged`,
        `resume (killed run) → first agent: ${String(f.resume_first_agent_ms)} ms (median; samples ${JSON.stringify(f.resume_samples_ms)})`,
        `baseline fresh run  → first agent: ${String(b.fresh_first_agent_ms)} ms (median; samples ${JSON.stringify(b.fresh_samples_ms)})`,
        `ratio resume/fresh: ${outcome.ratio['resume/fresh']} (goal <= ${GOAL}) ${result.met.all ? 'MET' : 'NOT MET'}`,
        `written: ${file}`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    cleanupTemps();
  }
}

export const run = main;

runIfMain(import.meta.url, main);
