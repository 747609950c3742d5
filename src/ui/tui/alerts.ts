import type { AgentHealth } from '../../engine/agent-health.js';
import type { RunHealth } from '../../engine/status.js';
import type { AttemptRow } from '../../store/types.js';
import type { WatchAlert, WatchTask } from './model.js';

const QUIET_S = 120;
/** Consecutive failures of one profile after which its circuit breaker has most likely opened. */
const CIRCUIT_FAILURES = 3;

function attemptProblem(reason: string): string | null {
  if (/^stalled/.test(reason)) return 'stall';
  if (/outside the task's scope/.test(reason)) return 'scope violation';
  if (/timed out|timeout/i.test(reason)) return 'timeout';
  return null;
}

/** What needs a person's eye, from what the journal holds; errors first. */
export function alertsOf(input: {
  tasks: WatchTask[];
  attempts: AttemptRow[];
  run: RunHealth | undefined;
  agents: AgentHealth[];
}): WatchAlert[] {
  const errors: WatchAlert[] = [];
  const warnings: WatchAlert[] = [];
  for (const task of input.tasks) {
    if (task.state === 'failed' || task.state === 'blocked') {
      errors.push({
        level: 'error',
        text: `${task.id} ${task.state}${task.reason ? `: ${task.reason}` : ''}`,
      });
    }
  }
  const open = new Set(
    input.tasks.filter((t) => t.state !== 'done' && t.state !== 'skipped').map((t) => t.id),
  );
  for (const attempt of input.attempts) {
    const problem = attempt.reason && open.has(attempt.task) ? attemptProblem(attempt.reason) : null;
    if (problem && attempt.state !== 'succeeded') {
      warnings.push({
        level: 'warning',
        text: `${problem}: ${attempt.task} attempt ${attempt.attempt} (${attempt.agent}): ${attempt.reason}`,
      });
    }
  }
  for (const agent of input.agents) {
    const streak = [...agent.recent].reverse().findIndex((outcome) => outcome !== 'failed');
    const failedInARow = streak === -1 ? agent.recent.length : streak;
    if (failedInARow >= CIRCUIT_FAILURES) {
      errors.push({
        level: 'error',
        text: `profile ${agent.agent}: last ${failedInARow} attempts failed (its circuit is likely open)`,
      });
    } else if (agent.failed > 0 && agent.failed >= agent.succeeded) {
      warnings.push({
        level: 'warning',
        text: `profile ${agent.agent} failing: ${agent.failed} of ${agent.failed + agent.succeeded} finished attempts failed`,
      });
    }
    if (agent.output_age_s !== null && agent.output_age_s >= QUIET_S) {
      warnings.push({
        level: 'warning',
        text: `profile ${agent.agent}: no output for ${agent.output_age_s}s`,
      });
    }
  }
  const run = input.run;
  if (run && run.level !== 'full') {
    warnings.push({
      level: 'warning',
      text: `run degraded to ${run.level}${run.reason ? `: ${run.reason}` : ''}`,
    });
  }
  for (const warning of run?.warnings ?? [])
    warnings.push({ level: 'warning', text: `run health: ${warning}` });
  return [...errors, ...warnings];
}
