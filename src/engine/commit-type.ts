import type { FileChange } from '../git/status.js';
import { classifyFile } from '../shared/file-kind.js';

const CI_FILES =
  /^(\.github\/workflows\/|\.gitlab-ci\.yml$|\.circleci\/|\.ci\/|azure-pipelines\.yml$|Jenkinsfile$)/;
const BUILD_FILES =
  /(^|\/)(package\.json|package-lock\.json|pnpm-lock\.yaml|yarn\.lock|tsconfig[^/]*\.json|Makefile|Dockerfile|Cargo\.(toml|lock)|go\.(mod|sum)|pyproject\.toml|requirements[^/]*\.txt)$/;

/**
 * The Conventional Commits type of a change when its task names none: only tests → `test`, only
 * docs → `docs`, only CI files → `ci`, only build files → `build`, only other config → `chore`;
 * code changes that only delete or rename files → `refactor`; any other code change → `feat`.
 * Nothing changed → `chore`.
 */
export function inferCommitType(changes: Pick<FileChange, 'path' | 'kind'>[]): string {
  if (changes.length === 0) return 'chore';
  const paths = changes.map((c) => c.path);
  const kinds = new Set(paths.map(classifyFile));
  const only = (kind: string) => kinds.size === 1 && kinds.has(kind as never);
  if (only('test')) return 'test';
  if (only('docs')) return 'docs';
  if (paths.every((p) => CI_FILES.test(p))) return 'ci';
  if (paths.every((p) => BUILD_FILES.test(p))) return 'build';
  if (!kinds.has('code') && !kinds.has('test')) return 'chore';
  const code = changes.filter((c) => classifyFile(c.path) === 'code');
  if (code.length > 0 && code.every((c) => c.kind === 'deleted' || c.kind === 'renamed')) return 'refactor';
  return 'feat';
}
