import path from 'node:path';
import { signalGroup } from '../agents/host.js';
import { isInside, readCwd, readEnviron, readProcessTable, selfAndAncestors } from './doctor/processes.js';
import type { RunReporter } from './reporter.js';
import { realPathOrResolved } from '../shared/real-path.js';

/**
 * Process groups of agents (and their checks) that earlier runs of this milestone left
 * behind. They are found by their environment, not by journaled pids: a run killed between
 * spawning an agent and journaling its pid leaves one the journal never saw. The caller
 * holds the milestone's lease, so any other session working on it is a stray.
 */
export function findStrayGroups(stateDir: string, milestone: string, run: string): Map<number, string> {
  const table = readProcessTable();
  if (!table) return new Map();
  const home = realPathOrResolved(stateDir);
  const spared = selfAndAncestors(table);
  const groups = new Map<number, string>();
  for (const info of table.list) {
    if (spared.has(info.pid)) continue;
    const env = readEnviron(info.pid);
    const session = env?.get('CAIRN_SESSION');
    if (!session || session === run || env?.get('CAIRN_MILESTONE') !== milestone) continue;
    if (realPathOrResolved(env?.get('CAIRN_HOME') ?? '') !== home) continue;
    groups.set(info.pgid, `${env?.get('CAIRN_TASK') ?? '?'} (run ${session})`);
  }
  return groups;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops agents earlier runs left behind (SIGTERM to their groups, SIGKILL after a grace) before anything starts. */
export async function stopStrayAgents(
  stateDir: string,
  milestone: string,
  run: string,
  reporter: RunReporter,
  graceMs = 2_000,
): Promise<void> {
  const strays = findStrayGroups(stateDir, milestone, run);
  if (strays.size === 0) return;
  for (const [group, what] of strays) {
    reporter.onNotice(`stopping agent process group ${group} of task ${what}, left by an earlier run`);
    signalGroup(group, 'SIGTERM');
  }
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline && findStrayGroups(stateDir, milestone, run).size > 0) await sleep(50);
  for (const group of findStrayGroups(stateDir, milestone, run).keys()) signalGroup(group, 'SIGKILL');
}

/**
 * Git commands a killed run started in this milestone's worktrees finish on their own (a
 * SIGKILL reaches the run, not its children). Their results (a commit, above all) must be in
 * place before the journal is reconciled with git, so wait a moment for them to exit.
 */
export async function waitForOrphanGit(
  stateDir: string,
  milestone: string,
  timeoutMs = 3_000,
): Promise<void> {
  const worktrees = realPathOrResolved(path.join(stateDir, 'worktrees', milestone));
  const busy = () => {
    const table = readProcessTable();
    if (!table) return false;
    const spared = selfAndAncestors(table);
    return table.list.some((info) => {
      if (info.comm !== 'git' || spared.has(info.pid)) return false;
      const cwd = readCwd(info.pid);
      return cwd !== undefined && isInside(cwd, worktrees);
    });
  };
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && busy()) await sleep(20);
}
