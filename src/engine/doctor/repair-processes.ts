import { rmSync } from 'node:fs';
import { signalGroup } from '../../agents/host.js';
import { gitProcessesIn } from './check-locks.js';
import { describeAgents, findAgentSessions } from './check-agents.js';
import { isRunning, readProcessTable } from './processes.js';
import type { Repaired } from './types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function signalAll(groups: number[], pids: number[], signal: NodeJS.Signals): void {
  for (const group of groups) signalGroup(group, signal);
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone already.
    }
  }
}

/**
 * Stops a dead run's agents: SIGTERM to their process groups, SIGKILL after `graceMs`. The
 * processes are looked up again first, so a pid reused since the check is never signalled.
 */
export async function stopAgents(stateDir: string, session: string, graceMs: number): Promise<Repaired> {
  const table = readProcessTable();
  const entry = table && findAgentSessions(table, stateDir).find((found) => found.session === session);
  if (!entry)
    return { check: 'agents', ok: true, message: `the agents of run ${session} had already stopped` };
  signalAll(entry.groups, entry.pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && entry.pids.some(isRunning)) await sleep(50);
  const stubborn = entry.pids.filter(isRunning);
  if (stubborn.length > 0) signalAll(entry.groups, stubborn, 'SIGKILL');
  await sleep(stubborn.length > 0 ? 100 : 0);
  const left = entry.pids.filter(isRunning);
  const how = stubborn.length > 0 ? `SIGTERM, then SIGKILL for ${stubborn.length}` : 'SIGTERM';
  return left.length === 0
    ? {
        check: 'agents',
        ok: true,
        message: `stopped ${describeAgents(entry)} of run ${session} (${how})`,
      }
    : {
        check: 'agents',
        ok: false,
        message: `process(es) ${left.join(', ')} of run ${session} are still running after SIGKILL`,
      };
}

/** Deletes a stale git lock file, unless a git process started working in the repository meanwhile. */
export function removeLock(file: string, dirs: string[]): Repaired {
  const table = readProcessTable();
  const running = table ? gitProcessesIn(table, dirs) : undefined;
  if (!running || running.length > 0) {
    const why = running
      ? `git process(es) ${running.join(', ')} now run in the repository`
      : 'there is no /proc to check for git processes';
    return { check: 'locks', ok: false, message: `kept ${file}: ${why}` };
  }
  rmSync(file, { force: true });
  return { check: 'locks', ok: true, message: `deleted the stale lock ${file}` };
}
