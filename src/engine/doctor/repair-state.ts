import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { hostname } from 'node:os';
import type { RepoPaths } from '../../git/repo.js';
import { captureCheckpoint } from '../checkpoints/capture.js';
import { readLeases } from '../../store/read-leases.js';
import type { Store } from '../../store/types.js';
import { stateDbFile } from '../names.js';
import { openStore } from '../open-store.js';
import { isHolderRunning, isLeaseLive } from './check-lease.js';
import type { MilestoneInGit } from './milestones.js';
import { processesWithOpen, readProcessTable } from './processes.js';
import { syncEvents } from './sync-events.js';
import type { Repaired } from './types.js';

/** `20250102T030405Z`: sortable, and safe in file names everywhere. */
export function stamp(date = new Date()): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function freeName(wanted: string): string {
  let name = wanted;
  for (let n = 2; existsSync(name); n++) name = `${wanted}.${n}`;
  return name;
}

/** Moves `state.db` and its -wal/-shm to `state.db.damaged-<time>[-wal|-shm]`; returns the new names. */
export function moveDatabaseAside(file: string, when = new Date()): string[] {
  const target = freeName(`${file}.damaged-${stamp(when)}`);
  const moved: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(`${file}${suffix}`)) continue;
    renameSync(`${file}${suffix}`, `${target}${suffix}`);
    moved.push(`${target}${suffix}`);
  }
  return moved;
}

/** Moves a worktree directory git does not know to `<state>/lost-found/`, keeping its files. */
export function moveWorktreeAside(stateDir: string, dir: string): Repaired {
  const lostFound = path.join(stateDir, 'lost-found');
  mkdirSync(lostFound, { recursive: true });
  const relative = path.relative(path.join(stateDir, 'worktrees'), dir).split(path.sep).join('-');
  const target = freeName(path.join(lostFound, `${relative}-${stamp()}`));
  renameSync(dir, target);
  return { check: 'worktrees', ok: true, message: `moved ${dir} to ${target}` };
}

function describeSync(milestone: MilestoneInGit, merged: string[], landed: boolean): string {
  // In plan order, which a reader knows, not merge order, which depends on timing.
  const ids = milestone.tasks.map((task) => task.id);
  const done = ids.filter((id) => merged.includes(id));
  const pending = ids.filter((id) => !merged.includes(id));
  const parts = [
    `${done.length} of ${ids.length} task(s) done${done.length > 0 ? ` (${done.join(', ')})` : ''}`,
  ];
  if (pending.length > 0) parts.push(`pending: ${pending.join(', ')}`);
  if (landed) parts.push(`landed on ${milestone.base} at ${milestone.history?.landed?.slice(0, 12) ?? ''}`);
  return parts.join('; ');
}

function appendFromGit(store: Store, milestone: MilestoneInGit): { merged: string[]; landed: boolean } {
  const row = store.milestone(milestone.id);
  const plan = syncEvents(milestone, { row, tasks: row ? store.tasks(milestone.id) : [] });
  if (plan.events.length > 0) store.append(plan.events);
  return plan;
}

/**
 * Replaces a lost or damaged state database: the damaged files are moved aside (never
 * deleted), a fresh database is created, and every milestone with a branch is journaled again
 * from git. Refuses while any process has the database open.
 */
export async function rebuildState(
  repo: RepoPaths,
  file: string,
  milestones: MilestoneInGit[],
): Promise<Repaired[]> {
  const table = readProcessTable();
  const holders = table ? processesWithOpen(table, [file, `${file}-wal`, `${file}-shm`]) : [];
  if (holders.length > 0) {
    const message = `not rebuilt: process(es) ${holders.join(', ')} have ${file} open; stop them and run \`cairn doctor --repair\` again`;
    return [{ check: 'database', ok: false, message }];
  }
  const done: Repaired[] = [];
  const moved = moveDatabaseAside(file);
  if (moved.length > 0)
    done.push({ check: 'database', ok: true, message: `moved the old database aside: ${moved.join(', ')}` });
  const store = openStore(repo);
  try {
    const inGit = milestones.filter((m) => m.history);
    for (const milestone of inGit) {
      const { merged, landed } = appendFromGit(store, milestone);
      const message = `rebuilt milestone ${milestone.id} from ${milestone.history!.branch}: ${describeSync(milestone, merged, landed)}`;
      done.push({ check: 'database', ok: true, message });
      // A first checkpoint of the rebuilt state, so `cairn resume --explain` has a point to resume from.
      const branch = milestone.history!.branch;
      await captureCheckpoint({ repo, store, milestone: milestone.id, branch, reason: 'repaired' }).then(
        (checkpoint) =>
          done.push({
            check: 'database',
            ok: true,
            message: `checkpoint #${checkpoint.id} of the rebuilt milestone ${milestone.id}`,
          }),
        (error: unknown) =>
          done.push({
            check: 'database',
            ok: false,
            message: `no checkpoint of milestone ${milestone.id}: ${(error as Error).message}`,
          }),
      );
    }
    if (inGit.length === 0) done.push({ check: 'database', ok: true, message: `created a fresh ${file}` });
  } finally {
    store.close();
  }
  return done;
}

/** Replays the journal into the projections, when they drifted from it. */
export function rebuildProjections(repo: RepoPaths): Repaired {
  const store = openStore(repo);
  try {
    const replayed = store.rebuildProjections();
    return {
      check: 'journal',
      ok: true,
      message: `rebuilt the projections from ${replayed} journal event(s)`,
    };
  } finally {
    store.close();
  }
}

/** Records what git shows and the journal lacks, for milestones no live run holds. */
export function syncMilestones(repo: RepoPaths, milestones: MilestoneInGit[]): Repaired[] {
  const leases = readLeases(stateDbFile(repo.stateDir));
  const world = { host: hostname(), now: Date.now(), isRunning: isHolderRunning };
  const store = openStore(repo);
  try {
    return milestones.map((milestone) => {
      const lease = leases.find((entry) => entry.milestone === milestone.id);
      if (lease && isLeaseLive(lease, world)) {
        return {
          check: 'journal',
          ok: false,
          message: `left milestone ${milestone.id} alone: run ${lease.run} is working on it`,
        };
      }
      const { merged, landed } = appendFromGit(store, milestone);
      const what = [
        ...(merged.length > 0 ? [`task(s) ${merged.join(', ')} done`] : []),
        ...(landed ? ['landed'] : []),
      ];
      const message = store.milestone(milestone.id)
        ? `recorded milestone ${milestone.id} from git: ${what.join(', ') || 'nothing was missing'}`
        : `milestone ${milestone.id} has no branch in git; nothing to record`;
      return { check: 'journal', ok: true, message };
    });
  } finally {
    store.close();
  }
}

/** Releases a stale lease, unless its holder came back to life or another run took it. */
export function releaseLease(repo: RepoPaths, file: string, milestone: string, run: string): Repaired {
  const lease = readLeases(file).find((entry) => entry.milestone === milestone && entry.run === run);
  if (!lease)
    return {
      check: 'lease',
      ok: true,
      message: `the lease of run ${run} on milestone ${milestone} was already released`,
    };
  if (isLeaseLive(lease, { host: hostname(), now: Date.now(), isRunning: isHolderRunning })) {
    return {
      check: 'lease',
      ok: false,
      message: `kept the lease on milestone ${milestone}: run ${run} is alive`,
    };
  }
  const store = openStore(repo);
  try {
    store.releaseLease(milestone, run);
  } finally {
    store.close();
  }
  return {
    check: 'lease',
    ok: true,
    message: `released the stale lease of run ${run} (pid ${lease.pid}) on milestone ${milestone}`,
  };
}
