import { realpathSync } from 'node:fs';
import path from 'node:path';
import { signalGroup } from '../agents/host.js';
import { readEnviron, readProcessTable, selfAndAncestors } from './doctor/processes.js';
import type { RunReporter } from './reporter.js';

function realpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * Process groups of agents (and their checks) that earlier runs of this milestone left
 * behind. They are found by their environment, not by journaled pids: a run killed between
 * spawning an agent and journaling its pid leaves one the journal never saw. The caller
 * holds the milestone's lease, so any other session working on it is a stray.
 */
export function findStrayGroups(stateDir: string, milestone: string, run: string): Map<number, string> {
  const table = readProcessTable();
  if (!table) return new Map();
  const home = realpath(stateDir);
  const spared = selfAndAncestors(table);
  const groups = new Map<number, string>();
  for (const info of table.list) {
    if (spared.has(info.pid)) continue;
    const env = readEnviron(info.pid);
    const session = env?.get('CAIRN_SESSION');
    if (!session || session === run || env?.get('CAIRN_MILESTONE') !== milestone) continue;
    if (realpath(env?.get('CAIRN_HOME') ?? '') !== home) continue;
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
