import { existsSync } from 'node:fs';
import { journaledMilestone } from '../../engine/find-milestone.js';
import type { RepoPaths } from '../../git/repo.js';
import { agentNameOf } from '../../engine/run-context.js';
import { stateDbFile } from '../../engine/names.js';
import { openStore } from '../../engine/open-store.js';
import { InputError } from '../../shared/errors.js';
import type { Store } from '../../store/types.js';
import type { WatchTask } from './model.js';

/** The milestone to watch: its id, and its spec's tasks for the time before a run journals it. */
export interface WatchTarget {
  id: string;
  title: string;
  planned: WatchTask[];
}

/** The milestone of the newest live run, else of the newest run, else the most recently changed. */
function newestKnown(store: Store): string | undefined {
  const rows = store.milestones().map((row) => ({ row, run: store.latestRun(row.id) }));
  const key = (entry: (typeof rows)[number]) =>
    `${entry.run?.state === 'running' ? 1 : 0}${entry.run?.started_at ?? ''}${entry.row.updated_at}`;
  return rows.sort((a, b) => key(b).localeCompare(key(a)))[0]?.row.id;
}

async function fromSpec(repo: RepoPaths, name: string, cwd: string): Promise<WatchTarget> {
  const { loadMilestone } = await import('../../engine/load.js');
  const { spec, config } = loadMilestone(repo.root, name, cwd);
  return {
    id: spec.id,
    title: spec.title,
    planned: spec.tasks.map((task) => ({
      id: task.id,
      title: task.title,
      state: 'pending',
      agent: agentNameOf({ config }, task),
      attempts: 0,
      reason: null,
    })),
  };
}

/**
 * Resolves `cairn watch [milestone]`: by id or id-slug from the journal, else from its spec
 * (a milestone not run yet is watched until a run starts). Unknown names are exit-2 errors.
 */
export async function resolveTarget(
  repo: RepoPaths,
  name: string | undefined,
  cwd: string,
): Promise<WatchTarget> {
  const file = stateDbFile(repo.stateDir);
  const store = existsSync(file) ? openStore(repo, { quickCheck: false }) : undefined;
  try {
    if (name) {
      const row = store && journaledMilestone(store, name);
      return row ? { id: row.id, title: row.title, planned: [] } : await fromSpec(repo, name, cwd);
    }
    const known = store ? newestKnown(store) : undefined;
    const row = known ? store?.milestone(known) : undefined;
    if (row) return { id: row.id, title: row.title, planned: [] };
    const { listSpecFiles } = await import('../../engine/load.js');
    const specs = listSpecFiles(repo.root);
    if (specs.length === 1) return await fromSpec(repo, specs[0]!, cwd);
    throw new InputError(
      'E_MILESTONE_REQUIRED',
      specs.length === 0 ? 'there is no milestone to watch' : 'name the milestone to watch',
      {
        hint:
          specs.length === 0
            ? 'Create one with `cairn new "<title>"`, then `cairn watch <id>`.'
            : 'For example: cairn watch 001 (see the milestones with `cairn status`).',
      },
    );
  } finally {
    store?.close();
  }
}
