import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDisk, formatBytes, judgeDisk } from './check-disk.js';

const GiB = 1024 ** 3;
const limits = { warnBytes: GiB, warnRatio: 0.05, errorBytes: 100 * 1024 ** 2 };
const dir = mkdtempSync(path.join(tmpdir(), 'cairn-disk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('disk space', () => {
  it('warns under 1 GiB or 5% free and fails under 100 MiB', () => {
    expect(judgeDisk('/s', 50 * GiB, 100 * GiB, limits).status).toBe('ok');
    expect(judgeDisk('/s', 0.5 * GiB, 100 * GiB, limits)).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/^low disk space: 512\.0 MiB free of 100\.0 GiB \(0\.5%\) at \/s/),
    });
    expect(judgeDisk('/s', 4 * GiB, 100 * GiB, limits).status).toBe('warn');
    expect(judgeDisk('/s', 50 * 1024 ** 2, 100 * GiB, limits).status).toBe('error');
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * GiB)).toBe('3.0 GiB');
  });

  it('measures the real file system, from the nearest existing directory', async () => {
    const found = await checkDisk(path.join(dir, 'not', 'yet', 'created'));
    expect(found.check).toBe('disk');
    expect(found.message).toContain(`at ${dir}`);
    const starved = await checkDisk(dir, {
      warnBytes: Number.MAX_SAFE_INTEGER,
      warnRatio: 1.1,
      errorBytes: 0,
    });
    expect(starved.status).toBe('warn');
  });
});
