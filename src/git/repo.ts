import path from 'node:path';
import { InputError } from '../shared/errors.js';
import { tryGit } from './git.js';

/** Where a repository lives, resolved from any directory inside it or inside one of its worktrees. */
export interface RepoPaths {
  /** Top of the main working tree: specs and config are read here. */
  root: string;
  /** The git common dir shared by all worktrees (usually `<root>/.git`). */
  commonDir: string;
  /** Cairn's runtime state: `CAIRN_HOME` or `<commonDir>/cairn`. */
  stateDir: string;
}

/** Resolves the main repository from `cwd`; exit 2 outside a repository or before the first commit. */
export async function resolveRepo(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<RepoPaths> {
  // One git call answers all three questions: which repository, which worktree, any commit yet.
  const probe = await tryGit(cwd, [
    'rev-parse',
    '--path-format=absolute',
    '--git-common-dir',
    '--show-toplevel',
    'HEAD',
  ]);
  const [commonDir = '', toplevel = '', head = ''] = probe.stdout.trim().split('\n');
  if (commonDir === '' || /not a git repository/.test(probe.stderr)) {
    throw new InputError('E_NOT_A_REPO', `${cwd} is not inside a git repository`, {
      hint: 'Run Cairn inside a git repository, or create one with `git init` and make a first commit.',
    });
  }
  if (toplevel === '' || toplevel === 'HEAD') {
    throw new InputError('E_BARE_REPO', `${cwd} is a bare repository or a .git directory`, {
      hint: 'Run Cairn inside a working tree.',
    });
  }
  if (probe.code !== 0 || !/^[0-9a-f]{40,64}$/.test(head)) {
    throw new InputError('E_NO_COMMITS', `the repository at ${toplevel} has no commits yet`, {
      hint: 'Make a first commit (e.g. `git commit --allow-empty -m "initial commit"`), then try again.',
    });
  }
  // Inside a linked worktree (Cairn's or the user's), the main working tree holds the specs.
  const root = path.basename(commonDir) === '.git' ? path.dirname(commonDir) : toplevel;
  const stateDir = env.CAIRN_HOME ? path.resolve(cwd, env.CAIRN_HOME) : path.join(commonDir, 'cairn');
  return { root, commonDir, stateDir };
}
