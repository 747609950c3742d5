import { tryGit } from './git.js';

/**
 * Environment for commits Cairn writes itself: the user's identity when git has one,
 * otherwise a clearly-named fallback so a fresh machine can still run a milestone.
 */
export async function commitIdentityEnv(repo: string): Promise<NodeJS.ProcessEnv> {
  const probe = await tryGit(repo, ['var', 'GIT_COMMITTER_IDENT']);
  if (probe.code === 0) return {};
  return {
    GIT_AUTHOR_NAME: 'Cairn',
    GIT_AUTHOR_EMAIL: 'cairn@localhost',
    GIT_COMMITTER_NAME: 'Cairn',
    GIT_COMMITTER_EMAIL: 'cairn@localhost',
  };
}
