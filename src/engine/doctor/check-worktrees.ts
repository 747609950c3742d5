import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { tryGit } from '../../git/git.js';
import { listWorktrees } from '../../git/worktree.js';
import { DISCARDED_PREFIX } from '../../shared/discard.js';
import { finding, type Finding } from './types.js';

function realpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** `git worktree prune --dry-run -v`: registrations whose directory is gone, one line each. */
export async function prunableWorktrees(root: string): Promise<string[]> {
  const result = await tryGit(root, ['worktree', 'prune', '--dry-run', '--verbose']);
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('Removing '))
    .map((line) => line.slice('Removing '.length));
}

/** Directories under `<state>/worktrees/<milestone>/` that git does not know as worktrees. */
export async function unregisteredWorktreeDirs(root: string, stateDir: string): Promise<string[]> {
  const base = path.join(stateDir, 'worktrees');
  if (!existsSync(base)) return [];
  const registered = new Set((await listWorktrees(root)).map((entry) => realpath(entry.path)));
  const found: string[] = [];
  for (const milestone of readdirSync(base, { withFileTypes: true })) {
    if (!milestone.isDirectory()) continue;
    for (const task of readdirSync(path.join(base, milestone.name), { withFileTypes: true })) {
      const dir = path.join(base, milestone.name, task.name);
      // A `.discarded-*` folder is a removal under way (or one the next run finishes).
      if (task.name.startsWith(DISCARDED_PREFIX)) continue;
      if (task.isDirectory() && !registered.has(realpath(dir))) found.push(dir);
    }
  }
  return found;
}

/** Worktree health: registrations without a directory, and Cairn directories without a registration. */
export async function checkWorktrees(root: string, stateDir: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const line of await prunableWorktrees(root)) {
    findings.push(
      finding(
        'worktrees',
        'warn',
        `git still registers ${line}`,
        '`cairn doctor --repair` runs `git worktree prune`.',
        {
          kind: 'prune-worktrees',
        },
      ),
    );
  }
  const lostFound = path.join(stateDir, 'lost-found');
  for (const dir of await unregisteredWorktreeDirs(root, stateDir)) {
    findings.push(
      finding(
        'worktrees',
        'warn',
        `${dir} is not a worktree git knows (left by an interrupted run); Cairn would delete it when its task runs again`,
        `\`cairn doctor --repair\` moves it to ${lostFound}/ so nothing in it is lost and the task can get a fresh worktree.`,
        { kind: 'move-worktree-aside', dir },
      ),
    );
  }
  if (findings.length === 0)
    findings.push(
      finding('worktrees', 'ok', 'every worktree git knows exists, and every Cairn worktree is known to git'),
    );
  return findings;
}
