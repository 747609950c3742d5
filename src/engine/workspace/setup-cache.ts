import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pidAlive } from '../../shared/pid-alive.js';
import { chooseEvictions, type CacheEntryInfo, type CacheLimits } from './cache-eviction.js';
import { cloneSupported, cloneTree, linkTree, treeBytes, treeFingerprint } from './clone-tree.js';

/** What a restore found: the entry, none, or one that cannot be used (and was removed). */
export type Restore = { kind: 'hit'; bytes: number } | { kind: 'miss' } | { kind: 'damaged'; reason: string };

interface Manifest {
  format: 1;
  key: string;
  path: string;
  bytes: number;
  created: string;
  /** `treeFingerprint` of the data when stored: checked before the entry is linked again. */
  fingerprint?: string;
}

/**
 * How an entry goes into a worktree: `link: false`, a copy (copy-on-write where the filesystem
 * can); `link: true`, hardlinks; unset, a copy-on-write clone where the filesystem can and
 * hardlinks where it cannot (a full copy where neither works).
 */
export interface EntryMode {
  link?: boolean;
}

/** Whether entries in `cacheDir` go in and out as hardlinks. */
async function linking(cacheDir: string, mode: EntryMode): Promise<boolean> {
  return mode.link ?? !(await cloneSupported(cacheDir));
}

const MANIFEST = 'manifest.json';
const DATA = 'data';

/** The setup cache directory in the state dir. */
export function setupCacheDir(stateDir: string): string {
  return path.join(stateDir, 'cache');
}

/**
 * Copies or links (see EntryMode) a cached path into a worktree. An entry without a readable manifest, or whose data
 * is gone or cannot be copied, is removed and reported as damaged: the caller rebuilds it.
 */
export async function restoreEntry(
  cacheDir: string,
  key: string,
  relPath: string,
  worktree: string,
  mode: EntryMode = {},
): Promise<Restore> {
  const entry = path.join(cacheDir, key);
  if (!existsSync(entry)) return { kind: 'miss' };
  const target = path.join(worktree, relPath);
  const damaged = async (reason: string): Promise<Restore> => {
    await rm(target, { recursive: true, force: true });
    await rm(entry, { recursive: true, force: true });
    return { kind: 'damaged', reason };
  };
  const manifest = await readManifest(entry);
  if (!manifest || manifest.key !== key || manifest.path !== relPath)
    return damaged('its manifest is missing or unreadable');
  if (!(await lstat(path.join(entry, DATA)).catch(() => undefined))) return damaged('its data is missing');
  // A file written in place in a worktree linked to this entry changed the entry too. Linking
  // needs the fingerprint; a copy checks it when the entry has one (entries made before had none).
  const link = await linking(cacheDir, mode);
  if (link || manifest.fingerprint) {
    const now = await treeFingerprint(path.join(entry, DATA)).catch(() => undefined);
    if (!manifest.fingerprint || now !== manifest.fingerprint)
      return damaged('a file in it changed after it was stored (written in place, as through a hardlink)');
  }
  await rm(target, { recursive: true, force: true });
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await (link ? linkTree : cloneTree)(path.join(entry, DATA), target);
  } catch (error) {
    return damaged(`copying it failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const now = new Date();
  await utimes(path.join(entry, MANIFEST), now, now).catch(() => undefined);
  return { kind: 'hit', bytes: manifest.bytes };
}

/**
 * Stores a worktree's path under `key`, atomically: the copy is made in a temporary directory
 * and renamed into place, so a crash leaves no half entry. An entry someone else stored first
 * is kept. Returns false when the worktree has no such path.
 */
export async function storeEntry(
  cacheDir: string,
  key: string,
  relPath: string,
  worktree: string,
  mode: EntryMode = {},
): Promise<boolean> {
  const source = path.join(worktree, relPath);
  if (!(await lstat(source).catch(() => undefined))) return false;
  const entry = path.join(cacheDir, key);
  if (existsSync(entry)) return true;
  await mkdir(cacheDir, { recursive: true });
  const temp = path.join(cacheDir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(temp);
    const data = path.join(temp, DATA);
    await ((await linking(cacheDir, mode)) ? linkTree : cloneTree)(source, data);
    const manifest: Manifest = {
      format: 1,
      key,
      path: relPath,
      bytes: await treeBytes(data),
      created: new Date().toISOString(),
      fingerprint: await treeFingerprint(data),
    };
    await writeFile(path.join(temp, MANIFEST), `${JSON.stringify(manifest)}\n`);
    await rename(temp, entry).catch((error: NodeJS.ErrnoException) => {
      // Another worktree stored the same key first: theirs is as good.
      if (error.code !== 'EEXIST' && error.code !== 'ENOTEMPTY') throw error;
    });
    return true;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * Applies the size and age limits: removes the entries `chooseEvictions` picks, entries
 * without a manifest, and temporary directories of processes that are gone. Returns the keys
 * removed.
 */
export async function evictEntries(
  cacheDir: string,
  limits: CacheLimits,
  keep: ReadonlySet<string>,
  nowMs = Date.now(),
): Promise<string[]> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  const entries: CacheEntryInfo[] = [];
  const removed: string[] = [];
  for (const name of names) {
    const full = path.join(cacheDir, name);
    const temp = /^\.tmp-(\d+)-/.exec(name);
    if (temp) {
      if (!pidAlive(Number(temp[1]))) await rm(full, { recursive: true, force: true });
      continue;
    }
    const manifest = await readManifest(full);
    const used = await stat(path.join(full, MANIFEST)).catch(() => undefined);
    if (!manifest || !used) {
      if (!keep.has(name)) {
        await rm(full, { recursive: true, force: true });
        removed.push(name);
      }
      continue;
    }
    entries.push({ key: name, bytes: manifest.bytes, lastUsedMs: used.mtimeMs });
  }
  for (const key of chooseEvictions(entries, limits, nowMs, keep)) {
    await rm(path.join(cacheDir, key), { recursive: true, force: true });
    removed.push(key);
  }
  return removed;
}

async function readManifest(entry: string): Promise<Manifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path.join(entry, MANIFEST), 'utf8')) as Partial<Manifest>;
    return parsed.format === 1 && typeof parsed.key === 'string' && typeof parsed.bytes === 'number'
      ? (parsed as Manifest)
      : undefined;
  } catch {
    return undefined;
  }
}
