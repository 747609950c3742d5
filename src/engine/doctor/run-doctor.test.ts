import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestRepo } from './test-repo.js';
import { InputError } from '../../shared/errors.js';
import { runDoctor } from './run-doctor.js';

const { root } = createTestRepo('cairn-doctor-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const stateDir = path.join(root, '.git', 'cairn');
const relaxed = { warnBytes: 0, warnRatio: 0, errorBytes: 0 };

describe('runDoctor', () => {
  it('passes a fresh repository', async () => {
    const report = await runDoctor({ cwd: root, repair: false, disk: relaxed });
    expect(report.ok).toBe(true);
    expect(report.repaired).toEqual([]);
    expect(report.findings.map((f) => f.check)).toEqual([
      'git',
      'database',
      'lease',
      'agents',
      'worktrees',
      'locks',
      'disk',
    ]);
    expect(report.findings.filter((f) => f.status !== 'ok')).toEqual([]);
  });

  it('finds problems without changing anything, and --repair fixes them and checks again', async () => {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(
      path.join(stateDir, 'state.db'),
      'not a database at all, but long enough to have a header'.repeat(100),
    );
    writeFileSync(path.join(root, '.git', 'index.lock'), '');
    const found = await runDoctor({ cwd: root, repair: false, disk: relaxed });
    expect(found.ok).toBe(false);
    expect(found.findings.filter((f) => f.status === 'error').map((f) => f.check)).toEqual([
      'database',
      'locks',
    ]);
    expect(existsSync(path.join(root, '.git', 'index.lock'))).toBe(true);

    const fixed = await runDoctor({ cwd: root, repair: true, disk: relaxed });
    expect(fixed.ok).toBe(true);
    expect(fixed.repaired.map((entry) => [entry.check, entry.ok])).toEqual([
      ['locks', true],
      ['database', true],
      ['database', true],
    ]);
    expect(fixed.findings.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(existsSync(path.join(root, '.git', 'index.lock'))).toBe(false);
  });

  it('is bad input (exit 2) outside a repository', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'cairn-not-a-repo-'));
    try {
      await expect(runDoctor({ cwd: outside, repair: false })).rejects.toThrow(InputError);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
