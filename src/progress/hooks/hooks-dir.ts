import { git, tryGit } from '../../git/git.js';

/** The directory git runs hooks from, and the `core.hooksPath` that chose it (null: git's default). */
export interface HooksLocation {
  dir: string;
  coreHooksPath: string | null;
}

/** Asks git itself, so `core.hooksPath` (husky and others) and linked worktrees resolve as git does. */
export async function locateHooks(cwd: string): Promise<HooksLocation> {
  const dir = await git(cwd, ['rev-parse', '--path-format=absolute', '--git-path', 'hooks']);
  const config = await tryGit(cwd, ['config', '--get', 'core.hooksPath']);
  const value = config.stdout.trim();
  return { dir, coreHooksPath: config.code === 0 && value !== '' ? value : null };
}
