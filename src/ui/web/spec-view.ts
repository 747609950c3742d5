import type { RepoPaths } from '../../git/repo.js';
import { listSpecFiles, loadConfig, loadMilestone, loadSpecFile } from '../../engine/load.js';
import { milestoneBranch } from '../../engine/names.js';
import { agentNameOf } from '../../engine/run-context.js';
import { slugify } from '../../spec/ids.js';
import type { Store } from '../../store/types.js';
import type { MilestoneSummary, MilestoneView, TaskStateName } from './model.js';
import { isLive } from './read-model.js';

/** A milestone that never ran, from its spec alone: every task pending. */
export function readSpecView(repo: RepoPaths, id: string): MilestoneView {
  const { spec, config } = loadMilestone(repo.root, id, repo.root);
  return {
    header: {
      id: spec.id,
      title: spec.title,
      branch: milestoneBranch(spec.id, slugify(spec.title)),
      base: spec.base,
      state: 'not started',
      live: false,
      run: null,
      seq: 0,
    },
    tasks: spec.tasks.map((task) => ({
      id: task.id,
      title: task.title,
      state: 'pending',
      attempts: 0,
      agent: agentNameOf({ config }, task),
      reason: null,
      blocked_by: null,
      merge_commit: null,
      depends_on: task.depends_on,
      weight: task.weight,
      updated_at: null,
    })),
    attempts: [],
    agents: [],
    alerts: [],
    feed: [],
  };
}

/** Every milestone: those the journal knows, then specs not run yet (unreadable specs are skipped). */
export function readSummaries(repo: RepoPaths, store: Store | undefined): MilestoneSummary[] {
  const summaries: MilestoneSummary[] = [];
  for (const row of store?.milestones() ?? []) {
    const tasks = store!.tasks(row.id);
    const states: MilestoneSummary['states'] = {};
    for (const task of tasks)
      states[task.state as TaskStateName] = (states[task.state as TaskStateName] ?? 0) + 1;
    summaries.push({
      id: row.id,
      title: row.title,
      branch: row.branch,
      state: row.state,
      tasks: tasks.length,
      done: states.done ?? 0,
      states,
      live: isLive(store!.latestRun(row.id)),
    });
  }
  const known = new Set(summaries.map((s) => s.id));
  let config;
  try {
    config = loadConfig(repo.root);
  } catch {
    return summaries;
  }
  for (const file of listSpecFiles(repo.root)) {
    try {
      const { spec } = loadSpecFile(repo.root, file, config);
      if (known.has(spec.id)) continue;
      summaries.push({
        id: spec.id,
        title: spec.title,
        branch: milestoneBranch(spec.id, slugify(spec.title)),
        state: 'not started',
        tasks: spec.tasks.length,
        done: 0,
        states: { pending: spec.tasks.length },
        live: false,
      });
    } catch {
      // An invalid spec is `cairn validate`'s business; the list shows the others.
    }
  }
  return summaries.sort((a, b) => a.id.localeCompare(b.id));
}
