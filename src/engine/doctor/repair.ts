import type { RepoPaths } from '../../git/repo.js';
import { clearInterruptedRegistrations } from '../../git/worktree.js';
import { settleDiscards } from '../../shared/discard.js';
import { milestoneWorktrees, stateDbFile } from '../names.js';
import { removeLock, stopAgents } from './repair-processes.js';
import {
  moveWorktreeAside,
  rebuildProjections,
  rebuildState,
  releaseLease,
  syncMilestones,
} from './repair-state.js';
import { tryGit } from '../../git/git.js';
import type { Examination, Repair, Repaired } from './types.js';

type Of<K extends Repair['kind']> = Extract<Repair, { kind: K }>;

/**
 * Applies the repairs the findings ask for, in an order that keeps each safe: stray agents
 * stop first (they may hold locks or write into worktrees), the state database comes last.
 */
export async function applyRepairs(repo: RepoPaths, exam: Examination, graceMs: number): Promise<Repaired[]> {
  const repairs = exam.findings.flatMap((f) => (f.repair && f.status !== 'ok' ? [f.repair] : []));
  const all = <K extends Repair['kind']>(kind: K) => repairs.filter((r): r is Of<K> => r.kind === kind);
  const file = stateDbFile(repo.stateDir);
  const done: Repaired[] = [];
  const attempt = async (
    check: Repaired['check'],
    what: string,
    action: () => Repaired | Repaired[] | Promise<Repaired | Repaired[]>,
  ) => {
    try {
      done.push(...[await action()].flat());
    } catch (error) {
      done.push({ check, ok: false, message: `${what} failed: ${(error as Error).message}` });
    }
  };
  for (const { session } of all('stop-agents')) {
    await attempt('agents', `stopping the agents of run ${session}`, () =>
      stopAgents(repo.stateDir, session, graceMs),
    );
  }
  for (const { file: lock } of all('remove-lock')) {
    await attempt('locks', `deleting ${lock}`, () => removeLock(lock, exam.repoDirs));
  }
  for (const { milestone } of all('clear-registrations')) {
    await attempt(
      'worktrees',
      `clearing the unfinished registrations of milestone ${milestone}`,
      async () => {
        const cleared = await clearInterruptedRegistrations(
          repo.root,
          repo.commonDir,
          milestoneWorktrees(repo.stateDir, milestone),
        );
        await settleDiscards();
        return cleared.map(({ admin, dir }) => ({
          check: 'worktrees' as const,
          ok: true,
          message: `deleted the unfinished registration ${admin} and ${dir}`,
        }));
      },
    );
  }
  if (all('prune-worktrees').length > 0) {
    await attempt('worktrees', 'git worktree prune', async () => {
      const result = await tryGit(repo.root, ['worktree', 'prune', '--verbose']);
      const ok = result.code === 0;
      return {
        check: 'worktrees',
        ok,
        message: ok
          ? 'pruned worktree registrations whose directory is gone'
          : `git worktree prune failed: ${result.stderr.trim()}`,
      };
    });
  }
  for (const { dir } of all('move-worktree-aside')) {
    await attempt('worktrees', `moving ${dir} aside`, () => moveWorktreeAside(repo.stateDir, dir));
  }
  const milestones = exam.milestones.milestones;
  if (all('rebuild-state').length > 0) {
    await attempt('database', 'rebuilding the state database', () => rebuildState(repo, file, milestones));
    return done;
  }
  for (const { milestone, run } of all('release-lease')) {
    await attempt('lease', `releasing the lease of run ${run}`, () =>
      releaseLease(repo, file, milestone, run),
    );
  }
  if (all('rebuild-projections').length > 0) {
    await attempt('journal', 'rebuilding the projections', () => rebuildProjections(repo));
  }
  const sync = new Set(all('sync-milestone').map((r) => r.milestone));
  if (sync.size > 0) {
    await attempt('journal', 'recording milestones from git', () =>
      syncMilestones(
        repo,
        milestones.filter((m) => sync.has(m.id)),
      ),
    );
  }
  return done;
}
