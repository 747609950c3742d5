import { describe, expect, it } from 'vitest';
import { inferCommitType } from './commit-type.js';

const change = (
  path: string,
  kind: 'added' | 'modified' | 'deleted' | 'renamed' | 'untracked' = 'modified',
) => ({
  path,
  kind,
});

describe('inferCommitType', () => {
  it('names the kind when only one kind changed', () => {
    expect(inferCommitType([change('test/a.test.ts'), change('src/b.spec.ts', 'added')])).toBe('test');
    expect(inferCommitType([change('README.md'), change('docs/guide.md', 'added')])).toBe('docs');
    expect(inferCommitType([change('.github/workflows/ci.yml')])).toBe('ci');
    expect(inferCommitType([change('package.json'), change('package-lock.json')])).toBe('build');
    expect(inferCommitType([change('.eslintrc.json'), change('config/app.yaml')])).toBe('chore');
  });

  it('calls code changes features, and pure deletions or renames refactors', () => {
    expect(inferCommitType([change('src/a.ts', 'untracked'), change('test/a.test.ts', 'added')])).toBe(
      'feat',
    );
    expect(inferCommitType([change('src/a.ts'), change('README.md')])).toBe('feat');
    expect(inferCommitType([change('src/old.ts', 'deleted'), change('src/b.ts', 'renamed')])).toBe(
      'refactor',
    );
  });

  it('says chore when nothing changed', () => {
    expect(inferCommitType([])).toBe('chore');
  });
});
