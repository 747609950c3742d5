import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { tryGit } from '../../git/git.js';
import { listWorktrees } from '../../git/worktree.js';
import { interruptedRegistrations } from '../../git/worktree-interrupted.js';
import { readTextIfAny } from '../../shared/read-text.js';
import { DISCARDED_PREFIX } from '../../shared/discard.js';
import { finding, type Finding } from './types.js';
import { realPathOrResolved } from '../../shared/real-path.js';

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
  const registered = new Set((await listWorktrees(root)).map((entry) => realPathOrResolved(entry.path)));
  const found: string[] = [];
  for (const milestone of readdirSync(base, { withFileTypes: true })) {
    if (!milestone.isDirectory()) continue;
    for (const task of readdirSync(path.join(base, milestone.name), { withFileTypes: true })) {
      const dir = path.join(base, milestone.name, task.name);
      // A `.discarded-*` folder is a removal under way (or one the next run finishes).
      if (task.name.startsWith(DISCARDED_PREFIX)) continue;
      if (task.isDirectory() && !registered.has(realPathOrResolved(dir))) found.push(dir);
    }
  }
  return found;
}

/**
 * Registrations a killed run or land began for a Cairn worktree and never finished. Those of a
 * milestone with a live run may be under way and are left alone; with `live` unknown (the
 * database cannot say) they are reported without a repair.
 */
export function interruptedWorktreeFindings(
  commonDir: string,
  stateDir: string,
  live: ReadonlySet<string> | undefined,
): Finding[] {
  const base = realPathOrResolved(path.join(stateDir, 'worktrees'));
  const findings: Finding[] = [];
  for (const { admin, dir } of interruptedRegistrations(commonDir, base)) {
    const milestone = path.relative(base, dir).split(path.sep)[0] ?? '';
    if (live?.has(milestone)) continue;
    // An empty `commondir` (a kill between creating and writing it) makes `git worktree list` die.
    const breaksList = readTextIfAny(path.join(admin, 'commondir'))?.trim() === '';
    const message = `git registration ${admin} of ${dir} was begun by a killed run and never finished; git refuses a worktree there${
      breaksList ? ' and cannot list worktrees' : ''
    }`;
    const fix = live
      ? `\`cairn doctor --repair\` deletes it and its partial checkout (no agent had started there); the next \`cairn run ${milestone}\` does the same.`
      : `The next \`cairn run ${milestone}\` deletes it; repair the state database first.`;
    const repair = live ? { kind: 'clear-registrations' as const, milestone } : undefined;
    findings.push(finding('worktrees', 'warn', message, fix, repair));
  }
  return findings;
}

/**
 * Worktree health: unfinished registrations, registrations without a directory, and Cairn
 * directories without a registration. `live` names the milestones a run is working on.
 */
export async function checkWorktrees(
  root: string,
  stateDir: string,
  commonDir: string,
  live: ReadonlySet<string> | undefined,
): Promise<Finding[]> {
  const findings = interruptedWorktreeFindings(commonDir, stateDir, live);
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
  const unregistered = await unregisteredWorktreeDirs(root, stateDir).catch((error: unknown) => {
    findings.push(
      finding(
        'worktrees',
        'error',
        `git cannot list the worktrees: ${(error as Error).message.trim().split('\n').pop() ?? ''}`,
        'Fix what git names (a folder under .git/worktrees/), then run `cairn doctor` again.',
      ),
    );
    return [];
  });
  for (const dir of unregistered) {
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
