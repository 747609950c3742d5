import type { Store, TaskRow } from '../store/types.js';

/** The phase a running multi-phase task is in. */
export interface CurrentPhase {
  name: string;
  round: number;
  agent: string;
}

/** For each running task in a phase, which one; the journal is read only when a task runs. */
export function currentPhases(store: Store, milestone: string, tasks: TaskRow[]): Map<string, CurrentPhase> {
  const current = new Map<string, CurrentPhase>();
  const running = tasks.filter((task) => task.state === 'running');
  if (running.length === 0) return current;
  const latest = new Map<string, CurrentPhase & { attempt: number; open: boolean }>();
  for (const event of store.eventsOfType(milestone, ['phase.started', 'phase.ended'])) {
    if (event.type !== 'phase.started' && event.type !== 'phase.ended') continue;
    const { phase: name, round, agent, attempt } = event;
    latest.set(event.task, { name, round, agent, attempt, open: event.type === 'phase.started' });
  }
  for (const task of running) {
    const phase = latest.get(task.id);
    if (phase?.open && phase.attempt === task.attempts) {
      current.set(task.id, { name: phase.name, round: phase.round, agent: phase.agent });
    }
  }
  return current;
}
