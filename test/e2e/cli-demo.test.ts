import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, git, tempDir } from './helpers.js';

afterAll(cleanupTemp);

describe('cairn demo', () => {
  it('creates a sample repository, runs and lands milestone 001 on main', { timeout: 120_000 }, async () => {
    const dir = path.join(tempDir('cairn-demo-'), 'demo');
    const result = await cairn(tempDir('cairn-demo-cwd-'), ['demo', '--dir', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(dir);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    const subjects = git(dir, ['log', '--format=%s', 'main']).split('\n');
    expect(subjects.some((subject) => subject.startsWith('feat(milestone-001)'))).toBe(true);
    // The land commit is the tip of main.
    expect(subjects[0]).toMatch(/^feat\(milestone-001\)/);
    expect(git(dir, ['status', '--porcelain'])).toBe('');

    const status = await cairn(dir, ['status', '001', '--json']);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { milestone: { state: string }; tasks: { state: string }[] };
    expect(parsed.milestone.state).toBe('landed');
    expect(parsed.tasks.length).toBeGreaterThan(0);
    expect(parsed.tasks.every((task) => task.state === 'done')).toBe(true);
  });

  it('--dir on a non-empty directory exits 2 and leaves it alone', async () => {
    const dir = tempDir('cairn-demo-full-');
    writeFileSync(path.join(dir, 'keep.txt'), 'precious\n');
    const result = await cairn(dir, ['demo', '--dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*not empty/m);
    expect(result.stderr).toContain(path.basename(dir));
    expect(result.stderr).toMatch(/^hint: /m);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(dir)).toEqual(['keep.txt']);
    expect(readFileSync(path.join(dir, 'keep.txt'), 'utf8')).toBe('precious\n');
  });
});
