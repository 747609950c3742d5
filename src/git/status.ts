import { git, type GitOptions } from './git.js';

/** `changed`: added or modified, when git did not say which (`git add -v`). */
export type ChangeKind =
  'added' | 'modified' | 'changed' | 'deleted' | 'renamed' | 'untracked' | 'conflicted';

export interface FileChange {
  path: string;
  kind: ChangeKind;
}

export interface WorktreeStatus {
  /** Checked-out branch, or undefined when HEAD is detached. */
  branch: string | undefined;
  head: string | undefined;
  changes: FileChange[];
}

function kindOf(xy: string): ChangeKind {
  if (xy.includes('D')) return 'deleted';
  if (xy.includes('A')) return 'added';
  return 'modified';
}

/** Parses `git status --porcelain=v2 --branch -z` output. */
export function parseStatus(output: string): WorktreeStatus {
  const status: WorktreeStatus = { branch: undefined, head: undefined, changes: [] };
  const fields = output.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i] ?? '';
    if (entry.startsWith('# branch.oid ')) {
      const oid = entry.slice('# branch.oid '.length);
      status.head = oid === '(initial)' ? undefined : oid;
    } else if (entry.startsWith('# branch.head ')) {
      const head = entry.slice('# branch.head '.length);
      status.branch = head === '(detached)' ? undefined : head;
    } else if (entry.startsWith('1 ')) {
      const parts = entry.split(' ');
      status.changes.push({ path: parts.slice(8).join(' '), kind: kindOf(parts[1] ?? '') });
    } else if (entry.startsWith('2 ')) {
      const parts = entry.split(' ');
      status.changes.push({ path: parts.slice(9).join(' '), kind: 'renamed' });
      i++; // the original path follows as its own field
    } else if (entry.startsWith('u ')) {
      status.changes.push({ path: entry.split(' ').slice(10).join(' '), kind: 'conflicted' });
    } else if (entry.startsWith('? ')) {
      status.changes.push({ path: entry.slice(2), kind: 'untracked' });
    }
  }
  return status;
}

export async function readStatus(worktree: string, options: GitOptions = {}): Promise<WorktreeStatus> {
  const out = await git(
    worktree,
    ['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all', '--no-renames'],
    options,
  );
  return parseStatus(out);
}

/** Files changed between two commits, with their kind (renames count as delete + add). */
export async function diffNames(repo: string, from: string, to: string): Promise<FileChange[]> {
  const out = await git(repo, ['diff', '--name-status', '--no-renames', '-z', from, to]);
  const fields = out.split('\0').filter((field) => field !== '');
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const code = fields[i] ?? '';
    const file = fields[i + 1] ?? '';
    changes.push({ path: file, kind: code === 'D' ? 'deleted' : code === 'A' ? 'added' : 'modified' });
  }
  return changes;
}
