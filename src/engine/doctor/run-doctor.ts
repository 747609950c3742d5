import { hostname } from 'node:os';
import { resolveRepo, type RepoPaths } from '../../git/repo.js';
import { listWorktrees } from '../../git/worktree.js';
import { readLeases, type LeaseRow } from '../../store/read-leases.js';
import { stateDbFile } from '../names.js';
import { openStore } from '../open-store.js';
import { checkAgents } from './check-agents.js';
import { checkDatabase } from './check-database.js';
import { checkDisk, DEFAULT_DISK, type DiskThresholds } from './check-disk.js';
import { checkGit } from './check-git.js';
import { checkJournal, checkProjections } from './check-journal.js';
import { checkLeases, isHolderRunning, isLeaseLive } from './check-lease.js';
import { checkLocks } from './check-locks.js';
import { checkWorktrees } from './check-worktrees.js';
import { readMilestonesInGit } from './milestones.js';
import { readProcessTable } from './processes.js';
import { applyRepairs } from './repair.js';
import type { Examination, Finding, Repaired } from './types.js';

export interface DoctorOptions {
  cwd: string;
  repair: boolean;
  /** Between SIGTERM and SIGKILL when stopping stray agents. */
  graceMs?: number;
  disk?: DiskThresholds;
}

export interface DoctorReport {
  /** No error remains (after repairs, when asked for). */
  ok: boolean;
  findings: Finding[];
  repaired: Repaired[];
}

async function repoDirs(repo: RepoPaths): Promise<string[]> {
  const worktrees = await listWorktrees(repo.root).catch(() => []);
  return [...new Set([repo.root, repo.commonDir, repo.stateDir, ...worktrees.map((entry) => entry.path)])];
}

/** Runs every check once; changes nothing beyond what opening a sound database does (fold in its log, migrate). */
export async function examine(repo: RepoPaths, options: Pick<DoctorOptions, 'disk'>): Promise<Examination> {
  const file = stateDbFile(repo.stateDir);
  const milestones = await readMilestonesInGit(repo.root);
  const database = checkDatabase(file, milestones.milestones);
  const healthy = database.health === 'healthy';
  const absent = database.health === 'missing' || database.health === 'empty';
  const leases: LeaseRow[] | undefined = healthy ? readLeases(file) : absent ? [] : undefined;
  const world = { host: hostname(), now: Date.now(), isRunning: isHolderRunning };
  const live = leases?.filter((lease) => isLeaseLive(lease, world));
  let journal: Finding[] = [];
  if (healthy) {
    const store = openStore(repo);
    try {
      journal = checkJournal(store, milestones, new Set(live?.map((lease) => lease.milestone)));
      // A live run changes the projections while they are compared: only check a quiet database.
      if (live?.length === 0) journal.push(...checkProjections(store));
    } finally {
      store.close();
    }
  }
  const table = readProcessTable();
  const dirs = await repoDirs(repo);
  const findings = [
    ...database.findings,
    ...journal,
    ...checkLeases(leases, world),
    ...checkAgents(table, repo.stateDir, live && new Set(live.map((lease) => lease.run))),
    ...(await checkWorktrees(
      repo.root,
      repo.stateDir,
      repo.commonDir,
      live && new Set(live.map((lease) => lease.milestone)),
    )),
    ...checkLocks(repo.commonDir, dirs, table),
    await checkDisk(repo.stateDir, options.disk ?? DEFAULT_DISK),
  ];
  return { findings, milestones, repoDirs: dirs };
}

const repairKey = (finding: Finding) => (finding.repair ? JSON.stringify(finding.repair) : undefined);

/**
 * `cairn doctor`: checks git, the state database and journal, leases, stray agents, worktrees,
 * git locks and disk space; with `repair`, fixes what is safe and checks again. Stopping a
 * stray agent can free a lock it held, so a second repair round picks up what the first revealed.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const git = await checkGit(options.cwd);
  if (git.status === 'error' && /not installed/.test(git.message))
    return { ok: false, findings: [git], repaired: [] };
  const repo = await resolveRepo(options.cwd);
  let exam = await examine(repo, options);
  const repaired: Repaired[] = [];
  const tried = new Set<string>();
  for (let round = 0; options.repair && round < 2; round++) {
    // A repair that did not take the first time is reported, not tried again.
    const fresh = exam.findings.filter((f) => f.status !== 'ok' && repairKey(f) && !tried.has(repairKey(f)!));
    if (fresh.length === 0) break;
    fresh.forEach((f) => tried.add(repairKey(f)!));
    repaired.push(...(await applyRepairs(repo, { ...exam, findings: fresh }, options.graceMs ?? 2_000)));
    exam = await examine(repo, options);
  }
  const findings = [git, ...exam.findings];
  return { ok: !findings.some((f) => f.status === 'error'), findings, repaired };
}
