import { readFileSync } from 'node:fs';
import { signalGroup } from '../agents/host.js';
import type { AttemptRow } from '../store/types.js';
import type { RunReporter } from './reporter.js';

/**
 * Whether `pid` is still the agent Cairn started for this attempt: the pid may have been
 * reused by an unrelated program, so its environment must name the same run and task.
 */
function isSameAgent(attempt: AttemptRow): boolean {
  if (attempt.pid === null) return false;
  try {
    const environ = readFileSync(`/proc/${attempt.pid}/environ`, 'utf8').split('\0');
    return environ.includes(`CAIRN_SESSION=${attempt.run}`) && environ.includes(`CAIRN_TASK=${attempt.task}`);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops agents a dead run left behind (SIGTERM to their groups, SIGKILL after a grace) before anything starts. */
export async function stopStrayAgents(
  strays: AttemptRow[],
  reporter: RunReporter,
  graceMs = 2_000,
): Promise<void> {
  const alive = strays.filter(isSameAgent);
  if (alive.length === 0) return;
  for (const attempt of alive) {
    reporter.onNotice(`${attempt.task}: stopping agent process ${attempt.pid} left by run ${attempt.run}`);
    signalGroup(attempt.pid!, 'SIGTERM');
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && alive.some(isSameAgent)) await sleep(50);
  for (const attempt of alive.filter(isSameAgent)) signalGroup(attempt.pid!, 'SIGKILL');
}
