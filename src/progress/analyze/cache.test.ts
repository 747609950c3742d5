import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheFile, isCacheDamage, openCache } from './cache.js';
import type { CommitRecord } from './types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-analyze-cache-'));
  dirs.push(dir);
  return dir;
}

const record = (hash: string, author = 'Ann \u00e9\u001f"x"'): CommitRecord => ({
  hash,
  parents: 1,
  author,
  email: 'a@x',
  authorTime: 100,
  commitTime: 200,
  type: 'fix',
  source: 'heuristic',
  agent: 'coder (claude)',
  milestone: null,
  task: 't1',
  stats: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  binary: 1,
});

describe('analyze cache', () => {
  it('stores records by hash and hands over the wanted ones, leaving the missing', () => {
    const file = cacheFile(stateDir());
    const { cache, rebuilt } = openCache(file);
    expect(rebuilt).toBe(false);
    expect(cache.isEmpty()).toBe(true);
    const [a, b, c] = ['a', 'b', 'c'].map((letter) => letter.repeat(40)) as [string, string, string];
    cache.put(record(a));
    cache.put(record(b));
    cache.put(record(b));
    cache.flush();
    const wanted = new Set([a, c, b]);
    const found: CommitRecord[] = [];
    cache.read(wanted, (r) => found.push(r));
    expect(found).toEqual([record(a), record(b)]);
    expect([...wanted]).toEqual([c]);
    expect(cache.count()).toBe(3);
    cache.close();
    // Reopened: still there.
    const again = openCache(file).cache;
    const rest = new Set([a]);
    again.read(rest, () => {});
    expect(rest.size).toBe(0);
    again.close();
  });

  it('remembers the commits of a range with its resolved ends', () => {
    const { cache } = openCache(cacheFile(stateDir()));
    expect(cache.snapshot('HEAD')).toBeUndefined();
    cache.saveSnapshot('HEAD', { tips: 'abc', hashes: ['1', '2'] });
    cache.saveSnapshot('empty', { tips: 'def', hashes: [] });
    expect(cache.snapshot('HEAD')).toEqual({ tips: 'abc', hashes: ['1', '2'] });
    expect(cache.snapshot('empty')).toEqual({ tips: 'def', hashes: [] });
    cache.close();
  });

  it('replaces a file that is not a database, and says it did', () => {
    const file = cacheFile(stateDir());
    writeFileSync(file, 'garbage '.repeat(1000));
    const { cache, rebuilt } = openCache(file);
    expect(rebuilt).toBe(true);
    expect(cache.isEmpty()).toBe(true);
    cache.close();
  });

  it('prunes records nobody reaches, and duplicates', () => {
    const { cache } = openCache(cacheFile(stateDir()));
    for (const hash of ['a', 'b', 'c', 'b']) cache.put(record(hash));
    cache.flush();
    expect(cache.prune(new Set(['b']))).toBe(3);
    const wanted = new Set(['a', 'b', 'c']);
    cache.read(wanted, () => {});
    expect([...wanted]).toEqual(['a', 'c']);
    expect(cache.count()).toBe(1);
    expect(cache.writeFailure()).toBeUndefined();
    cache.close();
  });

  it('calls a chunk that does not decode damage', () => {
    const file = cacheFile(stateDir());
    const { cache } = openCache(file);
    cache.put(record('a'));
    cache.flush();
    cache.close();
    const db = new (createRequire(import.meta.url)('better-sqlite3') as typeof Database)(file);
    db.prepare("UPDATE chunks SET data = '[[1,2' ").run();
    db.close();
    const reopened = openCache(file).cache;
    let error: unknown;
    try {
      reopened.read(new Set(['a']), () => {});
    } catch (caught) {
      error = caught;
    }
    expect(isCacheDamage(error)).toBe(true);
    reopened.close();
  });
});
