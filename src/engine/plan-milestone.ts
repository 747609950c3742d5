import type { CairnEvent } from '../store/events.js';
import type { Store } from '../store/types.js';
import { changedSinceDone, definitionOf } from './definition.js';
import type { LoadedMilestone } from './load.js';
import type { RunReporter } from './reporter.js';
import { agentNameOf } from './run-context.js';

/**
 * Journals the spec as the plan for this run. Tasks added since are pending; finished tasks
 * whose definition changed are listed, and run again only when asked (`--rerun-changed`).
 */
export function planMilestone(
  store: Store,
  loaded: LoadedMilestone,
  branch: string,
  rerunChanged: boolean,
  reporter: RunReporter,
): void {
  const { spec, config } = loaded;
  const changed = changedSinceDone(spec.tasks, store.tasks(spec.id));
  const planned: CairnEvent = {
    type: 'milestone.planned',
    milestone: spec.id,
    title: spec.title,
    branch,
    base: spec.base,
    specFile: spec.file,
    tasks: spec.tasks.map((task) => ({
      id: task.id,
      title: task.title,
      agent: agentNameOf({ config }, task),
      definition: definitionOf(task),
      weight: task.weight,
      dependsOn: task.depends_on,
    })),
  };
  const ids = changed.map((row) => row.id).join(', ');
  if (changed.length === 0 || !rerunChanged) {
    store.append(planned);
    if (ids)
      reporter.onNotice(`changed since they were done, kept as done: ${ids} (--rerun-changed redoes them)`);
    return;
  }
  reporter.onNotice(`running again because their definition changed: ${ids}`);
  // Requeued first, so the plan that follows gives them their new definition.
  const requeued: CairnEvent[] = changed.map((row) => ({
    type: 'task.requeued',
    milestone: spec.id,
    task: row.id,
    start: 'fresh',
    reason: 'definition changed since it was done',
    ...(row.merge_commit ? { supersedes: row.merge_commit } : {}),
  }));
  store.append([...requeued, planned]);
}
