import type { RepoPaths } from '../git/repo.js';
import type { MilestoneRow, Store } from '../store/types.js';

/** The milestone the journal knows by id (`001`) or id-slug (its branch `milestone/<id-slug>`). */
export function journaledMilestone(store: Store, name: string): MilestoneRow | undefined {
  return store.milestones().find((m) => m.id === name || m.branch === `milestone/${name}`);
}

/**
 * As `journaledMilestone`, and else by its spec (a path, or an id-slug under .milestones/) for a
 * milestone journaled under its id. A name no spec answers to is an input error (exit 2).
 */
export async function journaledMilestoneOrSpec(
  repo: RepoPaths,
  store: Store,
  name: string,
  cwd: string,
): Promise<MilestoneRow | undefined> {
  const known = journaledMilestone(store, name);
  if (known) return known;
  const { resolveSpecFile } = await import('./load.js');
  const file = resolveSpecFile(repo.root, name, cwd);
  return store.milestones().find((m) => m.spec_file === file);
}
