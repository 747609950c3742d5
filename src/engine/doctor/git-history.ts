import { tryGit } from '../../git/git.js';
import { resolveCommit } from '../../git/refs.js';
import { slugify } from '../../spec/ids.js';
import { milestoneBranch } from '../names.js';

/** One task merge on a milestone branch: the merge commit and the task head it merged. */
export interface TaskMerge {
  task: string;
  commit: string;
  head: string;
}

/** What git alone says about a milestone: its branch, where it started, its merges, its landing. */
export interface BranchHistory {
  branch: string;
  start: string;
  /** Oldest first; the latest merge of each task. */
  merges: TaskMerge[];
  landed: string | undefined;
}

const FIELD = '%x1f';
const RECORD = '%x1e';

function records(stdout: string): string[][] {
  return stdout
    .split('\x1e')
    .map((record) => record.trim())
    .filter(Boolean)
    .map((record) => record.split('\x1f').map((field) => field.trim()));
}

/** Branches named `milestone/<id>-*`: the one Cairn would use, and any left by a renamed title. */
export async function milestoneBranches(root: string, id: string): Promise<string[]> {
  const result = await tryGit(root, [
    'for-each-ref',
    '--format=%(refname:short)',
    `refs/heads/milestone/${id}-*`,
  ]);
  return result.code === 0 ? result.stdout.split('\n').filter(Boolean) : [];
}

/**
 * Reads a milestone branch's first-parent line: every merge with `Milestone: <id>` and `Task:`
 * trailers, and its start (the first parent of the oldest such merge, or the head without any).
 */
export async function readBranchMerges(
  root: string,
  id: string,
  branch: string,
): Promise<{ start: string; merges: TaskMerge[] } | undefined> {
  const head = await resolveCommit(root, `refs/heads/${branch}`);
  if (!head) return undefined;
  const format = [
    '%H',
    '%P',
    '%(trailers:key=Milestone,valueonly,separator=%x2c)',
    '%(trailers:key=Task,valueonly,separator=%x2c)',
  ];
  const result = await tryGit(root, [
    'log',
    '--first-parent',
    '--min-parents=2',
    `--format=${format.join(FIELD)}${RECORD}`,
    `refs/heads/${branch}`,
    '--',
  ]);
  const latest = new Map<string, TaskMerge>();
  let start = head;
  for (const [commit = '', parents = '', milestone = '', task = ''] of records(result.stdout)) {
    if (milestone !== id || task === '') continue;
    const [first = '', second = ''] = parents.split(' ');
    start = first;
    // Newest first: the first sighting of a task is its latest merge, as reconciliation reads it.
    if (!latest.has(task)) latest.set(task, { task, commit, head: second });
  }
  return { start, merges: [...latest.values()].reverse() };
}

/** The commit on `base`'s first-parent line that landed milestone `id`, if any. */
export async function findLanding(root: string, id: string, base: string): Promise<string | undefined> {
  const format = [
    '%H',
    '%s',
    '%(trailers:key=Milestone,valueonly,separator=%x2c)',
    '%(trailers:key=Task,valueonly)',
  ];
  const result = await tryGit(root, [
    'log',
    '--first-parent',
    '--fixed-strings',
    `--grep=Milestone: ${id}`,
    `--format=${format.join(FIELD)}${RECORD}`,
    `refs/heads/${base}`,
    '--',
  ]);
  if (result.code !== 0) return undefined;
  const landing = records(result.stdout).find(
    ([, subject = '', milestone = '', task = '']) =>
      milestone === id && task === '' && subject.startsWith(`feat(milestone-${id})`),
  );
  return landing?.[0];
}

/**
 * Finds the branch holding milestone `id`'s work: `milestone/<id>-<slug of title>` when it
 * exists, otherwise the `milestone/<id>-*` branch with the most of its merges.
 */
export async function readMilestoneHistory(
  root: string,
  spec: { id: string; title: string; base: string },
): Promise<{ history: BranchHistory | undefined; others: string[] }> {
  const candidates = await milestoneBranches(root, spec.id);
  const read = await Promise.all(
    candidates.map(async (branch) => ({ branch, merges: await readBranchMerges(root, spec.id, branch) })),
  );
  const usable = read.filter((entry) => entry.merges !== undefined);
  const preferred = milestoneBranch(spec.id, slugify(spec.title));
  const ranked = [...usable].sort(
    (a, b) =>
      Number(b.branch === preferred) - Number(a.branch === preferred) ||
      (b.merges?.merges.length ?? 0) - (a.merges?.merges.length ?? 0),
  );
  const chosen = ranked[0];
  // Another milestone's id may share this prefix (`1` and `1-x`); only count branches with our merges.
  const others = ranked.slice(1).filter((entry) => (entry.merges?.merges.length ?? 0) > 0);
  if (!chosen?.merges) return { history: undefined, others: [] };
  if (chosen.branch !== preferred && chosen.merges.merges.length === 0)
    return { history: undefined, others: [] };
  return {
    history: {
      branch: chosen.branch,
      start: chosen.merges.start,
      merges: chosen.merges.merges,
      landed: await findLanding(root, spec.id, spec.base),
    },
    others: others.map((entry) => entry.branch),
  };
}
