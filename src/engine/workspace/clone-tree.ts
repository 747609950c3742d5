import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, cp, lstat, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runProcess } from '../../shared/process.js';

/**
 * Copies a file or directory tree so that the copy is independent of the original: a
 * copy-on-write clone where the filesystem can (btrfs, XFS, APFS…), a plain copy otherwise.
 * Never hardlinks or symlinks: an agent changing a file in its worktree must not change it in
 * another worktree or in the cache. `dst` must not exist.
 */
export async function cloneTree(src: string, dst: string): Promise<void> {
  if (process.platform === 'linux') {
    // GNU cp clones a whole tree in one process, far faster than a walk from here.
    const result = await runProcess('cp', ['--reflink=auto', '-a', '--', src, dst], {
      cwd: path.dirname(dst),
    }).catch(() => undefined);
    if (result?.code === 0) return;
  }
  await cp(src, dst, {
    recursive: true,
    force: false,
    errorOnExist: true,
    preserveTimestamps: true,
    verbatimSymlinks: true,
    mode: constants.COPYFILE_FICLONE,
  });
}

const cloning = new Map<string, Promise<boolean>>();

/**
 * Whether the filesystem of `dir` makes copy-on-write clones (btrfs, XFS, APFS; not ext4):
 * one probe file cloned, asked once per directory and process. `dir` is created if missing.
 */
export function cloneSupported(dir: string): Promise<boolean> {
  let known = cloning.get(dir);
  if (!known) {
    known = probeClone(dir);
    cloning.set(dir, known);
  }
  return known;
}

async function probeClone(dir: string): Promise<boolean> {
  // Named like a temporary entry, so eviction leaves it to a live process.
  const probe = path.join(dir, `.tmp-${String(process.pid)}-clone-probe`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, 'probe\n');
    await copyFile(probe, `${probe}-clone`, constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch {
    return false;
  } finally {
    await rm(probe, { force: true });
    await rm(`${probe}-clone`, { force: true });
  }
}

/**
 * Makes `dst` a tree of hardlinks to the files of `src` (new directories, shared files): no
 * data is copied. Falls back to `cloneTree` where links cannot be made (another filesystem).
 */
export async function linkTree(src: string, dst: string): Promise<void> {
  if (process.platform === 'linux') {
    const result = await runProcess('cp', ['-al', '--', src, dst], { cwd: path.dirname(dst) }).catch(
      () => undefined,
    );
    if (result?.code === 0) return;
    await rm(dst, { recursive: true, force: true });
  }
  await cloneTree(src, dst);
}

/**
 * A digest of every file's path, size and modification time under `root`: a file written in
 * place through any of its hardlinks changes it.
 */
export async function treeFingerprint(root: string): Promise<string> {
  let lines: string[] | undefined;
  if (process.platform === 'linux') {
    const result = await runProcess('find', ['.', '-type', 'f', '-printf', '%P\t%s\t%T@\n'], {
      cwd: root,
    }).catch(() => undefined);
    if (result?.code === 0) lines = result.stdout.split('\n').filter(Boolean);
  }
  lines ??= await walkFiles(root);
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

/** `path\tsize\tmtime` of each file under `root`, the way `find -printf` writes them. */
async function walkFiles(root: string): Promise<string[]> {
  const lines: string[] = [];
  const visit = async (relative: string): Promise<void> => {
    const full = path.join(root, relative);
    const stat = await lstat(full);
    if (stat.isDirectory()) {
      for (const name of await readdir(full)) await visit(relative ? `${relative}/${name}` : name);
    } else if (stat.isFile()) {
      lines.push(`${relative}\t${String(stat.size)}\t${(stat.mtimeMs / 1000).toFixed(10)}`);
    }
  };
  await visit('');
  return lines;
}

/** Bytes a tree takes on disk, as `du` counts them (allocated blocks, each inode once). */
export async function treeBytes(root: string): Promise<number> {
  if (process.platform !== 'win32') {
    // One `du` walks a node_modules tree far faster than a stat per file from here.
    const result = await runProcess('du', ['-sk', '--', root], { cwd: path.dirname(root) }).catch(
      () => undefined,
    );
    const kib = result?.code === 0 ? Number(/^(\d+)\s/.exec(result.stdout)?.[1]) : NaN;
    if (Number.isFinite(kib)) return kib * 1024;
  }
  return walkBytes(root);
}

async function walkBytes(root: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const visit = async (file: string): Promise<void> => {
    const stat = await lstat(file);
    const id = `${stat.dev}:${stat.ino}`;
    if (seen.has(id)) return;
    seen.add(id);
    total += stat.blocks * 512;
    if (!stat.isDirectory()) return;
    for (const name of await readdir(file)) await visit(path.join(file, name));
  };
  await visit(root).catch(() => undefined);
  return total;
}
