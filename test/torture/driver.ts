import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { git } from '../e2e/helpers.js';
import { mergeCommits } from '../e2e/scenarios.js';
import { checkInvariants, readMarker, type AgentKill, type Verdict } from './invariants.js';
import { createRng, type Rng } from '../../src/shared/random.js';
import { describeProc, isAlive, processesOfRepo, runningAgents, type ProcInfo } from './procs.js';
import {
  CLI,
  createTortureAgent,
  createTortureRepo,
  MILESTONE_BRANCH,
  MILESTONE_ID,
  planMilestone,
  registerScratch,
  waveCount,
  type TaskPlan,
  type TortureAgent,
  type TortureRepo,
} from './scenario.js';

export interface ProfileOptions {
  /** Names the profile in messages and says which file replays it. */
  name: string;
  /** The test file to replay a seed with. */
  file: string;
  seed: number;
  tasks: number;
  concurrency: number;
  retries: number;
  /** Orchestrator SIGKILLs before the run is let finish. */
  minKills: number;
  /** Wall-clock bound of the whole session (reference run included). */
  budgetMs: number;
  /** Random SIGKILLs of agents' process groups (guarantee 2). */
  agentKills?: boolean;
  /** Fraction of agents that take 0.8–2 s instead of 20–300 ms. */
  slowAgents?: number;
  /** Probability of damaging state.db between two runs. */
  damage?: number;
  log?: (line: string) => void;
}

export interface RunRecord {
  index: number;
  delayMs: number | null;
  killed: boolean;
  code: number | null;
  signal: string | null;
  ms: number;
  mergesBefore: number;
  stderrTail: string;
}

export interface DamageRecord {
  runIndex: number;
  kind: 'delete' | 'truncate' | 'garble' | 'drop-wal';
  detail: string;
  /** How the next runs took it. */
  outcome: string;
}

export interface TortureReport {
  seed: number;
  profile: string;
  waves: number;
  kills: number;
  runs: RunRecord[];
  agentKills: AgentKill[];
  damages: DamageRecord[];
  repairs: string[];
  referenceMs: number;
  startupMs: number;
  tortureMs: number;
  verdict: Verdict;
  repo: TortureRepo;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A `cairn run` in the background; `exited` settles when the process is gone (reaped). */
function startRun(
  root: string,
  concurrency: number,
): {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: string | null }>;
  output: () => { stdout: string; stderr: string };
} {
  const child = spawn(process.execPath, [CLI, 'run', MILESTONE_ID, '--concurrency', String(concurrency)], {
    cwd: root,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** The test's environment without any CAIRN_* variable (a developer's shell may set CAIRN_HOME). */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CAIRN_')) env[key] = value;
  env.NO_COLOR = '1';
  return env;
}

function tail(text: string, chars = 1500): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

function countMerges(root: string): number {
  try {
    return mergeCommits(root, MILESTONE_BRANCH, 'main').length;
  } catch {
    return 0;
  }
}

/**
 * The reference: the same plan in another repository, run once without interruption. Gives the
 * final tree to compare with, and the timings the kill delays are scaled to.
 */
async function referenceRun(
  plans: TaskPlan[],
  shared: TortureAgent,
  options: ProfileOptions,
): Promise<{ tree: string; ms: number; startupMs: number; repo: TortureRepo }> {
  const repo = createTortureRepo(plans, shared, {
    retries: options.retries,
    concurrency: options.concurrency,
  });
  const started = Date.now();
  const run = startRun(repo.root, options.concurrency);
  let startupMs = 0;
  const poll = setInterval(() => {
    if (startupMs === 0 && statSync(repo.marker).size > 0) startupMs = Date.now() - started;
  }, 10);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), options.budgetMs / 2);
  const { code, signal } = await run.exited;
  clearInterval(poll);
  clearTimeout(timer);
  const ms = Date.now() - started;
  if (code !== 0) {
    const { stdout, stderr } = run.output();
    throw new Error(
      `the uninterrupted reference run exited ${code} (signal ${signal}) after ${ms} ms (repository kept at ${repo.root})\n--- stdout\n${tail(stdout)}\n--- stderr\n${tail(stderr)}`,
    );
  }
  const verdict = checkInvariants(repo, {});
  if (verdict.violations.length > 0) {
    throw new Error(
      `the uninterrupted reference run broke invariants:\n- ${verdict.violations.join('\n- ')}`,
    );
  }
  return {
    tree: git(repo.root, ['rev-parse', `${MILESTONE_BRANCH}^{tree}`]),
    ms,
    startupMs: startupMs || 300,
    repo,
  };
}

const DAMAGE_KINDS = ['delete', 'truncate', 'garble', 'drop-wal'] as const;

/** Damages the state database between runs; the kinds take turns from a seeded start. */
function damageDb(repo: TortureRepo, rng: Rng, runIndex: number, turn: number): DamageRecord | undefined {
  const db = repo.stateDb;
  if (!existsSync(db)) return undefined;
  const kind = DAMAGE_KINDS[turn % DAMAGE_KINDS.length]!;
  const size = statSync(db).size;
  let detail = '';
  switch (kind) {
    case 'delete':
      for (const file of [db, `${db}-wal`, `${db}-shm`]) rmSync(file, { force: true });
      detail = 'state.db, -wal and -shm deleted';
      break;
    case 'truncate': {
      const length = rng.int(0, size);
      truncateSync(db, length);
      detail = `state.db truncated from ${size} to ${length} bytes`;
      break;
    }
    case 'garble': {
      const length = rng.int(16, 4096);
      const offset = rng.int(0, Math.max(0, size - length));
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = rng.int(0, 255);
      const fd = openSync(db, 'r+');
      writeSync(fd, bytes, 0, length, offset);
      closeSync(fd);
      detail = `${length} random bytes written at offset ${offset} of ${size}`;
      break;
    }
    case 'drop-wal': {
      const wal = existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0;
      rmSync(`${db}-wal`, { force: true });
      rmSync(`${db}-shm`, { force: true });
      detail = `-wal (${wal} bytes) and -shm removed`;
      break;
    }
  }
  return { runIndex, kind, detail, outcome: 'pending' };
}

/** The newest modification time under dist/, to notice a rebuild in the middle of a session. */
function distStamp(): number {
  const dist = path.dirname(path.dirname(CLI));
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  walk(dist);
  return newest;
}

let doctorAvailable: boolean | undefined;

function hasDoctor(): boolean {
  if (doctorAvailable === undefined) {
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    doctorAvailable = /^\s+doctor\b/m.test(help.stdout ?? '');
  }
  return doctorAvailable;
}

/**
 * One torture session: plan, reference run, then `cairn run` started and SIGKILLed at seeded
 * moments until `minKills`, then let finish; with agent kills and state damage when asked.
 * Never throws for Cairn's misbehaviour: everything ends up in the report's verdict.
 */
export async function runTorture(options: ProfileOptions): Promise<TortureReport> {
  try {
    return await tortureSession(options);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw new Error(
      `seed=${options.seed} profile=${options.name}: the torture session stopped: ${message}\n${replayLine(options.seed, options.file)}`,
    );
  }
}

function replayLine(seed: number, file: string): string {
  const config = file.includes('.torture.') ? '--config test/torture/vitest.long.config.ts ' : '';
  return `replay: TORTURE_SEED=${seed} npx vitest run ${config}${file}`;
}

async function tortureSession(options: ProfileOptions): Promise<TortureReport> {
  const log = options.log ?? (() => undefined);
  const rng = createRng(options.seed);
  const plans = planMilestone(rng.fork('plan'), options.tasks, {
    slowAgents: options.slowAgents ?? 0,
  });
  const killRng = rng.fork('kills');
  const damageRng = rng.fork('damage');
  const agentRng = rng.fork('agents');
  const damageTurn = damageRng.int(0, DAMAGE_KINDS.length - 1);
  const deadline = Date.now() + options.budgetMs;
  const violations: string[] = [];
  const findings: string[] = [];
  const runs: RunRecord[] = [];
  const agentKills: AgentKill[] = [];
  const damages: DamageRecord[] = [];
  const repairs: string[] = [];

  const builtAt = distStamp();
  const shared = createTortureAgent(plans);
  const reference = await referenceRun(plans, shared, options);
  log(
    `reference: ${plans.length} tasks, ${waveCount(plans)} waves, ${reference.ms} ms uninterrupted (first agent after ${reference.startupMs} ms)`,
  );
  const repo = createTortureRepo(plans, shared, {
    retries: options.retries,
    concurrency: options.concurrency,
  });
  const tortureStarted = Date.now();
  const runLog = `${repo.root}.runs.log`;
  registerScratch(runLog);

  // Kill moments: a quarter during start-up (preflight, lease, reconciliation), the rest spread
  // so that the kills cover the whole milestone: each run gets about its share of the work.
  const startup = reference.startupMs;
  const work = Math.max(500, reference.ms - startup);
  const share = (2.5 * work) / options.minKills;
  // Once the milestone has finished (before enough kills), the runs only reconcile and exit:
  // kill them within the time such a run takes.
  let finishedRunMs: number | undefined;
  const killDelay = () => {
    const u = killRng.next();
    const early = killRng.chance(0.25);
    if (finishedRunMs !== undefined) return Math.round(20 + u * 0.9 * Math.min(startup, finishedRunMs));
    return early ? Math.round(20 + u * startup) : Math.round(startup + u * 2 * share);
  };

  let kills = 0;
  let finished = false;
  let consecutiveLocks = 0;
  /** Damage whose effect the next run has not shown yet. */
  let pendingDamage: DamageRecord | undefined;
  /** Damage not yet repaired nor outlived by a run that finished the milestone. */
  let unrepaired: DamageRecord | undefined;
  let selfExits = 0;
  let damageLine: number | undefined;
  const agentKillsPerTask = new Map<string, number>();
  const overlaps = new Set<string>();
  const sessionsBeforeDamage = new Set<string>();

  for (let index = 0; !finished; index++) {
    if (Date.now() > deadline) {
      violations.push(
        `the milestone did not finish within ${options.budgetMs} ms (${kills} kills, ${runs.length} runs, ${countMerges(repo.root)}/${plans.length} merged)`,
      );
      break;
    }
    if (
      options.damage &&
      kills > 0 &&
      kills < options.minKills &&
      !pendingDamage &&
      damageRng.chance(options.damage)
    ) {
      const damage = damageDb(repo, damageRng, index, damageTurn + damages.length);
      if (damage) {
        const markerNow = readFileSync(repo.marker, 'utf8').split('\n');
        damageLine ??= markerNow.length - 1;
        for (const line of markerNow) {
          const session = line.split(' ')[4];
          if (line.startsWith('start ') && session) sessionsBeforeDamage.add(session);
        }
        damages.push(damage);
        pendingDamage = damage;
        unrepaired = damage;
        for (const kill of agentKills) kill.damagedAfter = true;
        log(`run ${index}: damage: ${damage.kind}: ${damage.detail}`);
      }
    }
    const killing = kills < options.minKills;
    // The run right after damage gets long enough to show how it takes it.
    const delayMs = killing ? (pendingDamage ? Math.max(killDelay(), 3 * startup) : killDelay()) : null;
    const mergesBefore = countMerges(repo.root);
    const started = Date.now();
    const run = startRun(repo.root, options.concurrency);
    let exitedOnItsOwn = false;
    const exit = run.exited.then((result) => {
      exitedOnItsOwn = true;
      return result;
    });

    // Agent kills during this run, at seeded moments.
    const timers: NodeJS.Timeout[] = [];
    if (options.agentKills) {
      const horizon = delayMs ?? 4_000;
      const count = agentRng.pick([0, 0, 1, 1, 2]);
      for (let k = 0; k < count; k++) {
        const at = agentRng.int(Math.min(horizon, startup), horizon);
        const pickU = agentRng.next();
        timers.push(
          setTimeout(() => {
            const agents = runningAgents(repo.stateDir, repo.agent).filter((proc) => {
              const task = proc.env.get('CAIRN_TASK') ?? '';
              const session = proc.env.get('CAIRN_SESSION') ?? '';
              const inRun = agentKills.filter(
                (kill) => kill.task === task && kill.session === session,
              ).length;
              // Fewer kills per task and run than its retries, so that the task still finishes.
              return (
                proc.pgid === proc.pid &&
                inRun < Math.min(2, options.retries) &&
                (agentKillsPerTask.get(task) ?? 0) < 4
              );
            });
            if (agents.length === 0) return;
            const victim = agents[Math.floor(pickU * agents.length)]!;
            try {
              process.kill(-victim.pid, 'SIGKILL');
            } catch {
              return;
            }
            const task = victim.env.get('CAIRN_TASK')!;
            agentKillsPerTask.set(task, (agentKillsPerTask.get(task) ?? 0) + 1);
            agentKills.push({
              task,
              attempt: Number(victim.env.get('CAIRN_ATTEMPT')),
              session: victim.env.get('CAIRN_SESSION')!,
              pid: victim.pid,
              runIndex: index,
              damagedAfter: false,
            });
            log(
              `run ${index}: killed agent ${task}#${victim.env.get('CAIRN_ATTEMPT')} (pid ${victim.pid}) at +${Date.now() - started} ms`,
            );
          }, at),
        );
      }
    }

    // Two agents of one task alive at once means one of them is an orphan of a dead run that
    // nobody stopped, writing into the worktree the new attempt works in.
    const sampler = setInterval(() => {
      const byTask = new Map<string, ProcInfo[]>();
      for (const proc of runningAgents(repo.stateDir, repo.agent)) {
        const task = proc.env.get('CAIRN_TASK') ?? '?';
        byTask.set(task, [...(byTask.get(task) ?? []), proc]);
      }
      for (const [task, procs] of byTask) {
        const sessions = new Set(procs.map((proc) => proc.env.get('CAIRN_SESSION')));
        const key = `${task} ${[...sessions].sort().join(' ')}`;
        if (sessions.size > 1 && !overlaps.has(key)) {
          overlaps.add(key);
          // An agent of a run from before the state database was damaged may be unknown to the
          // journal now: worth knowing, not a broken guarantee.
          const lost = procs.some((proc) => sessionsBeforeDamage.has(proc.env.get('CAIRN_SESSION') ?? ''));
          (lost ? findings : violations).push(
            `orphan agent: during run ${index}, ${procs.length} agents of ${task} were alive at once (an agent of a dead run was never stopped):\n  ${procs.map(describeProc).join('\n  ')}`,
          );
        }
      }
    }, 250);
    let result: { code: number | null; signal: string | null };
    if (delayMs === null) {
      const remaining = Math.max(1_000, deadline - Date.now());
      const guard = setTimeout(() => run.child.kill('SIGKILL'), remaining);
      result = await exit;
      clearTimeout(guard);
      if (!exitedOnItsOwn || result.signal === 'SIGKILL') {
        violations.push(
          `the final run did not finish within the time budget (killed after ${Date.now() - started} ms)`,
        );
      }
    } else {
      await Promise.race([exit, sleep(delayMs)]);
      if (!exitedOnItsOwn) {
        run.child.kill('SIGKILL');
        result = await exit;
        exitedOnItsOwn = false;
        kills++;
      } else result = await exit;
    }
    timers.forEach(clearTimeout);
    clearInterval(sampler);
    const killed = delayMs !== null && result.signal === 'SIGKILL';
    const { stdout, stderr } = run.output();
    const record: RunRecord = {
      index,
      delayMs,
      killed,
      code: result.code,
      signal: result.signal,
      ms: Date.now() - started,
      mergesBefore,
      stderrTail: tail(stderr, 600),
    };
    runs.push(record);
    appendFileSync(
      runLog,
      `=== run ${index}: ${killed ? `killed after ${delayMs} ms` : `exited ${result.code}`} (${record.ms} ms)\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`,
    );
    if (killed) {
      log(
        `run ${index}: killed after ${delayMs} ms (kill ${kills}; ${mergesBefore} merged before it started)`,
      );
      if (pendingDamage) {
        const said = stderr.trim().split('\n').slice(0, 2).join(' / ');
        pendingDamage.outcome = `the next run worked ${record.ms} ms without stopping until killed${said ? ` (it said: ${said})` : ''}`;
        pendingDamage = undefined;
      }
      continue;
    }

    // The run ended by itself.
    const code = result.code;
    const unexpected = /unexpected failure/.test(stderr);
    log(
      `run ${index}: exited ${code} on its own after ${record.ms} ms (${kills} kills so far)${unexpected ? ': unexpected failure' : ''}`,
    );
    if (code === 3) {
      consecutiveLocks++;
      const holder = /process (\d+)/.exec(stderr)?.[1];
      const alive = holder ? isAlive(Number(holder)) : false;
      findings.push(
        `run ${index} exited 3 (locked) although no other run was alive: ${stderr.trim().split('\n')[0]} (holder pid ${holder ?? '?'} ${alive ? 'is alive now: pid reused?' : 'is dead'})`,
      );
      if (consecutiveLocks > 20) {
        violations.push(
          `cairn run kept exiting 3 (locked by a dead run) ${consecutiveLocks} times in a row: ${stderr.trim()}`,
        );
        break;
      }
      await sleep(250);
      continue;
    }
    consecutiveLocks = 0;
    const badExit = !(code === 0 || (code === 1 && !unexpected) || code === 130);
    if (pendingDamage && !badExit) {
      pendingDamage.outcome = `the next run exited ${code}`;
      pendingDamage = undefined;
    }
    if (unrepaired && badExit) {
      // Cairn noticed the damage (now or later): repair as a user would, then go on.
      const damage = unrepaired;
      const said = stderr.trim().split('\n').slice(0, 2).join(' / ');
      const when = pendingDamage ? 'the next run' : `run ${index} (later)`;
      damage.outcome = `${damage.outcome === 'pending' ? '' : `${damage.outcome}; `}${when} exited ${code}: ${said}`;
      if (hasDoctor()) {
        const repair = spawnSync(process.execPath, [CLI, 'doctor', '--repair'], {
          cwd: repo.root,
          encoding: 'utf8',
          env: cleanEnv(),
        });
        const output = `${repair.stdout ?? ''}${repair.stderr ?? ''}`.trim().split('\n');
        repairs.push(
          `after ${damage.kind}: doctor --repair exited ${repair.status}: ${output.slice(-2).join(' / ')}`,
        );
        damage.outcome += `; doctor --repair exited ${repair.status}`;
      } else {
        // No repair command: do what a user would, and let git be the source of truth.
        for (const file of [repo.stateDb, `${repo.stateDb}-wal`, `${repo.stateDb}-shm`]) {
          rmSync(file, { force: true });
        }
        repairs.push(`after ${damage.kind}: no \`cairn doctor\`; state.db deleted by hand`);
        damage.outcome += '; no doctor: state.db deleted by hand';
      }
      log(`run ${index}: ${damage.outcome}`);
      pendingDamage = undefined;
      unrepaired = undefined;
      continue;
    }
    if (code === 0) unrepaired = undefined;
    if (code === 0) {
      if (kills >= options.minKills) finished = true;
      else {
        if (finishedRunMs === undefined) {
          findings.push(
            `the milestone finished after only ${kills} kills; further kills hit runs of a finished milestone`,
          );
        }
        finishedRunMs = Math.min(finishedRunMs ?? Infinity, record.ms);
      }
      continue;
    }
    selfExits++;
    violations.push(
      `run ${index} exited ${code} on its own (not killed)${unexpected ? ' with an unexpected failure' : ''}:\n${tail(stdout, 800)}\n${tail(stderr, 800)}`,
    );
    if (selfExits > 5) {
      violations.push('more than 5 runs ended on their own without finishing the milestone; giving up');
      break;
    }
  }
  const tortureMs = Date.now() - tortureStarted;

  // Orphans get a moment to show (or to go): a straggler that exits by itself within 2 s is
  // reported as a finding; one still alive is a violation of guarantee 1.
  const early = processesOfRepo(repo.root, repo.stateDir);
  if (early.length > 0) {
    findings.push(
      `processes of the repository alive right after the final run:\n  ${early.map(describeProc).join('\n  ')}`,
    );
    await sleep(2_000);
  }
  const verdict = checkInvariants(repo, {
    reference: { tree: reference.tree, root: reference.repo.root },
    agentKills,
    dbDamaged: damages.length > 0,
    ...(damageLine !== undefined ? { damageLine } : {}),
  });
  verdict.violations.unshift(...violations);
  verdict.findings.unshift(...findings);
  if (distStamp() !== builtAt) {
    verdict.findings.unshift(
      'dist/ was rebuilt during this session (someone ran `npm run build`): runs of two Cairn builds shared one state.db',
    );
  }
  const { starts } = readMarker(repo.marker);
  verdict.stats.kills = kills;
  verdict.stats.runs = runs.length;
  verdict.stats.agentKills = agentKills.length;
  verdict.stats.damages = damages.length;
  verdict.stats.referenceMs = reference.ms;
  verdict.stats.tortureMs = tortureMs;
  verdict.stats.agentStarts = starts.length;

  // Leave nothing behind, whatever happened.
  for (const proc of processesOfRepo(repo.root, repo.stateDir)) {
    try {
      process.kill(proc.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  return {
    seed: options.seed,
    profile: options.name,
    waves: waveCount(plans),
    kills,
    runs,
    agentKills,
    damages,
    repairs,
    referenceMs: reference.ms,
    startupMs: reference.startupMs,
    tortureMs,
    verdict,
    repo,
  };
}

/** The failure message: seed and profile first, then how to replay, then what broke. */
export function failureMessage(report: TortureReport, file: string): string {
  const { verdict } = report;
  return [
    `seed=${report.seed} profile=${report.profile}: ${verdict.violations.length} violation(s) of the crash guarantees`,
    replayLine(report.seed, file),
    `repository kept at ${report.repo.root} (agents' marker log ${report.repo.marker}, output of every run ${report.repo.root}.runs.log)`,
    ...verdict.violations.map((v) => `- ${v}`),
    summary(report),
  ].join('\n');
}

export function summary(report: TortureReport): string {
  const { verdict } = report;
  const lines = [
    `seed=${report.seed} profile=${report.profile}: ${report.kills} orchestrator kills over ${report.runs.length} runs, ${report.agentKills.length} agent kills, ${report.damages.length} damages; ${report.waves} waves; reference ${report.referenceMs} ms (startup ${report.startupMs} ms); torture ${report.tortureMs} ms`,
    `stats: ${JSON.stringify(verdict.stats)}`,
  ];
  if (report.damages.length > 0) {
    lines.push(
      'damage:',
      ...report.damages.map((d) => `  run ${d.runIndex}: ${d.kind} (${d.detail}) -> ${d.outcome}`),
    );
  }
  if (report.repairs.length > 0) lines.push('repairs:', ...report.repairs.map((r) => `  ${r}`));
  if (verdict.findings.length > 0) {
    const shown = verdict.findings.slice(0, 30);
    lines.push(`findings (${verdict.findings.length}):`, ...shown.map((f) => `  ${f}`));
  }
  return lines.join('\n');
}
