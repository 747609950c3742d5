import { tryGit } from '../../git/git.js';
import { finding, type Finding } from './types.js';

/** `git merge-tree --write-tree`, which the merge queue needs, came with git 2.38. */
export const MIN_GIT: [number, number] = [2, 38];

/** Reads `git version 2.39.5` (also `2.39.3 (Apple Git-145)`, `2.41.0.windows.1`). */
export function parseGitVersion(text: string): [number, number, number] | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function judgeGitVersion(text: string): Finding {
  const version = parseGitVersion(text);
  const needed = `${MIN_GIT[0]}.${MIN_GIT[1]}`;
  if (!version) {
    return finding(
      'git',
      'error',
      `cannot read git's version from "${text.trim()}"`,
      `Install git ${needed} or newer.`,
    );
  }
  const [major, minor] = version;
  const shown = version.join('.');
  if (major > MIN_GIT[0] || (major === MIN_GIT[0] && minor >= MIN_GIT[1])) {
    return finding('git', 'ok', `git ${shown} (has merge-tree --write-tree)`);
  }
  return finding(
    'git',
    'error',
    `git ${shown} is too old: the merge queue needs \`git merge-tree --write-tree\` (git ${needed} or newer)`,
    `Upgrade git to ${needed} or newer.`,
  );
}

/** The installed git and whether Cairn can merge with it. */
export async function checkGit(cwd: string): Promise<Finding> {
  try {
    const result = await tryGit(cwd, ['--version']);
    return judgeGitVersion(result.stdout);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'git is not installed (not on PATH)'
        : String(error);
    return finding('git', 'error', reason, `Install git ${MIN_GIT.join('.')} or newer.`);
  }
}
