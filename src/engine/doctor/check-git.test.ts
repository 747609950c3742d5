import { describe, expect, it } from 'vitest';
import { checkGit, judgeGitVersion, parseGitVersion } from './check-git.js';

describe('git version', () => {
  it('reads the versions git prints on Linux, macOS and Windows', () => {
    expect(parseGitVersion('git version 2.39.5\n')).toEqual([2, 39, 5]);
    expect(parseGitVersion('git version 2.39.3 (Apple Git-145)')).toEqual([2, 39, 3]);
    expect(parseGitVersion('git version 2.41.0.windows.1')).toEqual([2, 41, 0]);
    expect(parseGitVersion('git version 3.0')).toEqual([3, 0, 0]);
    expect(parseGitVersion('no version here')).toBeUndefined();
  });

  it('needs 2.38 for merge-tree --write-tree', () => {
    expect(judgeGitVersion('git version 2.38.0').status).toBe('ok');
    expect(judgeGitVersion('git version 3.1.0').status).toBe('ok');
    const old = judgeGitVersion('git version 2.37.9');
    expect(old).toMatchObject({ check: 'git', status: 'error', fix: 'Upgrade git to 2.38 or newer.' });
    expect(old.message).toMatch(/2\.37\.9 is too old: .*merge-tree --write-tree/);
    expect(judgeGitVersion('garbage').status).toBe('error');
  });

  it('checks the git on PATH', async () => {
    const found = await checkGit(process.cwd());
    expect(found.check).toBe('git');
    expect(found.message).toMatch(/^git \d+\.\d+/);
  });
});
