import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { tryGit } from '../../git/git.js';
import { InputError } from '../../shared/errors.js';
import type { Workspace } from '../../spec/index.js';

/**
 * Checks, before any task starts, what a workspace needs from the main worktree: every `copy`
 * file is there, inside the repository once symbolic links are followed, and ignored by git,
 * as every cached path must be (otherwise agents' commits would carry them). Exit 2 naming each.
 */
export async function checkWorkspace(root: string, workspace: Workspace, specFile: string): Promise<void> {
  const problems: string[] = [];
  const realRoot = realpathSync(root);
  for (const file of workspace.copy) {
    const where = path.join(root, file);
    if (!lstatSync(where, { throwIfNoEntry: false })) {
      problems.push(`copy file \`${file}\` is missing: expected at ${where}`);
      continue;
    }
    const real = safeRealpath(where);
    if (real === undefined || (real !== realRoot && !real.startsWith(realRoot + path.sep))) {
      problems.push(
        `copy path \`${file}\` leads outside the repository through a symbolic link (to ${real ?? 'nowhere'})`,
      );
    }
  }
  const paths = [...workspace.copy, ...workspace.cache.map((entry) => entry.path)];
  const tracked = await trackedPaths(root, paths);
  const ignored = await ignoredPaths(root, paths);
  for (const file of paths) {
    const what = workspace.copy.includes(file) ? 'copy path' : 'cached path';
    if (tracked.has(file))
      problems.push(`${what} \`${file}\` is tracked by git; only untracked files are copied or cached`);
    else if (!ignored.has(file))
      problems.push(`${what} \`${file}\` is not ignored by git: agents' commits would include it`);
  }
  if (problems.length === 0) return;
  throw new InputError(
    'E_WORKSPACE',
    `the workspace of ${path.relative(root, specFile) || specFile} cannot be prepared`,
    {
      details: problems,
      hint: 'Create the missing files in the main worktree, add copied and cached paths to .gitignore, or change `workspace:` in the spec or .cairn/config.yaml.',
    },
  );
}

function safeRealpath(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

async function trackedPaths(root: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const result = await tryGit(root, ['ls-files', '-z', '--', ...paths.map((p) => `:(literal)${p}`)]);
  const files = result.stdout.split('\0').filter(Boolean);
  return new Set(paths.filter((p) => files.some((file) => file === p || file.startsWith(`${p}/`))));
}

/** Paths git ignores; a directory pattern (`node_modules/`) matches the path with a trailing slash. */
async function ignoredPaths(root: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const asked = paths.flatMap((p) => [p, `${p}/`]);
  const result = await tryGit(root, ['check-ignore', '--no-index', '-z', '--stdin'], {
    input: `${asked.join('\0')}\0`,
  });
  const hits = new Set(result.stdout.split('\0').filter(Boolean));
  return new Set(paths.filter((p) => hits.has(p) || hits.has(`${p}/`)));
}
