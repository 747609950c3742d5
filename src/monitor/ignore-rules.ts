import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from '../shared/process.js';

/** Never watched: git's own files and the installed dependencies at the root. */
const ALWAYS_IGNORED = ['.git', 'node_modules'];
const GLOB_CHARS = /[*?[\]{}\\]/;

/**
 * Folders the native watcher skips outright, so a build or dependency folder costs no watches:
 * git's, node_modules, and the plain names of the root `.gitignore`, as paths from the root
 * (a glob costs the watcher a regular-expression match per file at start-up; a path, a prefix
 * compare). Everything else, nested and wildcard rules included, is decided afterwards by
 * `git check-ignore`, so skipping less than git would only costs watches, never correctness.
 */
export function watcherIgnores(dir: string): string[] {
  let text = '';
  try {
    text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return ALWAYS_IGNORED;
  }
  // A negation may re-include something under a broader rule: then only the exact check decides.
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  if (lines.some((line) => line.startsWith('!'))) return ALWAYS_IGNORED;
  const names = lines
    .filter((line) => line !== '' && !line.startsWith('#') && !GLOB_CHARS.test(line))
    .map((line) => line.replace(/^\/+/, '').replace(/\/+$/, ''))
    .filter((name) => name !== '' && !name.split('/').includes('..'));
  return [...new Set([...ALWAYS_IGNORED, ...names])];
}

/** The paths among `paths` (relative, posix) that git's ignore rules exclude; tracked files never are. */
export async function ignoredPaths(dir: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const result = await runProcess('git', ['check-ignore', '-z', '--stdin'], {
    cwd: dir,
    input: paths.join('\0') + '\0',
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  }).catch(() => undefined);
  // 1: none is ignored; anything else (no repository any more, git missing) ignores nothing.
  if (!result || result.code !== 0) return new Set();
  return new Set(result.stdout.split('\0').filter(Boolean));
}
