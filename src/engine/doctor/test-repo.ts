import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** For tests: a temporary repository on `main` with one empty commit, and git run inside it. */
export function createTestRepo(prefix: string): { root: string; git: (...args: string[]) => string } {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  git('init', '-q', '--initial-branch=main');
  git(
    '-c',
    'user.name=T',
    '-c',
    'user.email=t@example.invalid',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'initial',
  );
  return { root, git };
}
