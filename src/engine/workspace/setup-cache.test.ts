import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cloneSupported } from './clone-tree.js';
import { evictEntries, restoreEntry, storeEntry } from './setup-cache.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-cache-'));
  dirs.push(dir);
  return dir;
}

function worktreeWithModules(): string {
  const dir = temp();
  mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', 'pkg', 'index.js'), 'module.exports = 1;\n');
  return dir;
}

const limits = { maxBytes: 1024 ** 3, maxAgeMs: 86_400_000 };

describe('setup cache entries', () => {
  it('are stored and restored as independent copies with `link: false`', async () => {
    const cache = path.join(temp(), 'cache');
    const copies = { link: false };
    expect(await storeEntry(cache, 'k1', 'node_modules', worktreeWithModules(), copies)).toBe(true);
    const other = temp();
    expect(await restoreEntry(cache, 'k1', 'node_modules', other, copies)).toMatchObject({ kind: 'hit' });
    const file = path.join(other, 'node_modules', 'pkg', 'index.js');
    writeFileSync(file, 'changed\n');
    expect(readFileSync(path.join(cache, 'k1', 'data', 'pkg', 'index.js'), 'utf8')).toBe(
      'module.exports = 1;\n',
    );
    expect(readdirSync(cache)).toEqual(['k1']);
  });

  it('miss when absent, and are removed as damaged when their manifest or data is gone', async () => {
    const cache = path.join(temp(), 'cache');
    expect(await restoreEntry(cache, 'nope', 'node_modules', temp())).toEqual({ kind: 'miss' });
    await storeEntry(cache, 'k1', 'node_modules', worktreeWithModules());
    writeFileSync(path.join(cache, 'k1', 'manifest.json'), 'garbage');
    expect(await restoreEntry(cache, 'k1', 'node_modules', temp())).toMatchObject({ kind: 'damaged' });
    expect(existsSync(path.join(cache, 'k1'))).toBe(false);
    await storeEntry(cache, 'k2', 'node_modules', worktreeWithModules());
    rmSync(path.join(cache, 'k2', 'data'), { recursive: true });
    const target = temp();
    expect(await restoreEntry(cache, 'k2', 'node_modules', target)).toMatchObject({ kind: 'damaged' });
    expect(existsSync(path.join(target, 'node_modules'))).toBe(false);
  });

  it('are cloned where the filesystem makes copy-on-write clones, and linked where it does not', async () => {
    const cache = path.join(temp(), 'cache');
    expect(await storeEntry(cache, 'k1', 'node_modules', worktreeWithModules())).toBe(true);
    const other = temp();
    expect(await restoreEntry(cache, 'k1', 'node_modules', other)).toMatchObject({ kind: 'hit' });
    const stored = statSync(path.join(cache, 'k1', 'data', 'pkg', 'index.js'));
    const restored = statSync(path.join(other, 'node_modules', 'pkg', 'index.js'));
    expect(restored.ino === stored.ino).toBe(!(await cloneSupported(cache)));
    expect(readdirSync(cache)).toEqual(['k1']);
  });

  it('are linked instead of copied with `link`, and dropped once a file was written in place', async () => {
    const cache = path.join(temp(), 'cache');
    const first = worktreeWithModules();
    expect(await storeEntry(cache, 'k1', 'node_modules', first, { link: true })).toBe(true);
    const second = temp();
    expect(await restoreEntry(cache, 'k1', 'node_modules', second, { link: true })).toMatchObject({
      kind: 'hit',
    });
    const stored = path.join(cache, 'k1', 'data', 'pkg', 'index.js');
    const restored = path.join(second, 'node_modules', 'pkg', 'index.js');
    expect(statSync(restored).ino).toBe(statSync(stored).ino);
    // Replacing a file (what package managers do) leaves the entry as it was.
    rmSync(restored);
    writeFileSync(restored, 'replaced\n');
    expect(readFileSync(stored, 'utf8')).toBe('module.exports = 1;\n');
    expect(await restoreEntry(cache, 'k1', 'node_modules', temp(), { link: true })).toMatchObject({
      kind: 'hit',
    });
    // Writing in place through a link changes the entry: the next restore drops it.
    appendFileSync(path.join(first, 'node_modules', 'pkg', 'index.js'), '// edited in place\n');
    const third = temp();
    expect(await restoreEntry(cache, 'k1', 'node_modules', third, { link: true })).toMatchObject({
      kind: 'damaged',
    });
    expect(existsSync(path.join(cache, 'k1'))).toBe(false);
    expect(existsSync(path.join(third, 'node_modules'))).toBe(false);
  });

  it('are dropped when a file in them changed after they were stored, copied or linked', async () => {
    const cache = path.join(temp(), 'cache');
    await storeEntry(cache, 'k1', 'node_modules', worktreeWithModules());
    appendFileSync(path.join(cache, 'k1', 'data', 'pkg', 'index.js'), '// changed\n');
    expect(await restoreEntry(cache, 'k1', 'node_modules', temp())).toMatchObject({ kind: 'damaged' });
    expect(existsSync(path.join(cache, 'k1'))).toBe(false);
  });

  it('are not stored when setup made nothing at the path', async () => {
    const cache = path.join(temp(), 'cache');
    expect(await storeEntry(cache, 'k1', 'node_modules', temp())).toBe(false);
    expect(existsSync(path.join(cache, 'k1'))).toBe(false);
  });

  it('are evicted by age, leaving entries in use and half-written ones of live processes', async () => {
    const cache = path.join(temp(), 'cache');
    await storeEntry(cache, 'old', 'node_modules', worktreeWithModules());
    await storeEntry(cache, 'used', 'node_modules', worktreeWithModules());
    await storeEntry(cache, 'new', 'node_modules', worktreeWithModules());
    const longAgo = new Date(Date.now() - 3 * 86_400_000);
    for (const key of ['old', 'used']) utimesSync(path.join(cache, key, 'manifest.json'), longAgo, longAgo);
    mkdirSync(path.join(cache, '.tmp-999999999-dead'));
    mkdirSync(path.join(cache, `.tmp-${process.pid}-live`));
    mkdirSync(path.join(cache, 'no-manifest'));
    const removed = await evictEntries(cache, limits, new Set(['used']));
    expect(removed.sort()).toEqual(['no-manifest', 'old']);
    expect(readdirSync(cache).sort()).toEqual([`.tmp-${process.pid}-live`, 'new', 'used']);
  });

  it('are evicted least recently used first when over the size limit', async () => {
    const cache = path.join(temp(), 'cache');
    for (const key of ['a', 'b', 'c']) await storeEntry(cache, key, 'node_modules', worktreeWithModules());
    const times = { a: 3, b: 1, c: 2 };
    for (const [key, days] of Object.entries(times)) {
      const when = new Date(Date.now() - days * 3_600_000);
      utimesSync(path.join(cache, key, 'manifest.json'), when, when);
    }
    const one = JSON.parse(readFileSync(path.join(cache, 'a', 'manifest.json'), 'utf8')) as { bytes: number };
    expect(one.bytes).toBeGreaterThan(0);
    const removed = await evictEntries(cache, { maxBytes: one.bytes * 2, maxAgeMs: 86_400_000 }, new Set());
    expect(removed).toEqual(['a']);
  });
});
