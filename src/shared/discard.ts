import { readdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { runProcess } from './process.js';

/** Name prefix of a directory on its way out; no task or milestone id starts with a dot. */
export const DISCARDED_PREFIX = '.discarded-';
/** Directories handed to one `rm` at most. */
const BATCH = 256;

const waiting = new Set<string>();
let sweeping: Promise<void> | undefined;
let counter = 0;

/**
 * Removes a directory tree without keeping the caller waiting for the deletion: the directory
 * is renamed beside itself at once (its path is free, and nothing reads a half-deleted tree
 * under the old name), then deleted in the background by one `rm -rf` for every directory
 * waiting at that moment, so a run's event loop does not walk the files one by one.
 * `settleDiscards()` waits for the deletions; a process killed meanwhile leaves `.discarded-*`
 * folders, which `discardLeftovers` removes later.
 */
export async function discardDir(dir: string): Promise<void> {
  counter += 1;
  const aside = path.join(
    path.dirname(dir),
    `${DISCARDED_PREFIX}${String(process.pid)}-${String(counter)}-${path.basename(dir)}`,
  );
  try {
    await rename(dir, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    // Cannot be moved (a mount point, permissions): delete it where it is.
    await rm(dir, { recursive: true, force: true });
    return;
  }
  enqueue(aside);
}

/** Deletes the `.discarded-*` folders a killed process left in `parent`. */
export function discardLeftovers(parent: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(DISCARDED_PREFIX)) enqueue(path.join(parent, name));
}

/** Resolves once every directory discarded so far (and any discarded meanwhile) is deleted. */
export function settleDiscards(): Promise<void> {
  return sweeping ?? Promise.resolve();
}

function enqueue(dir: string): void {
  waiting.add(dir);
  sweeping ??= sweep();
}

async function sweep(): Promise<void> {
  try {
    while (waiting.size > 0) {
      const batch = [...waiting].slice(0, BATCH);
      batch.forEach((dir) => waiting.delete(dir));
      await removeAll(batch);
    }
  } finally {
    // Right after the last look at `waiting`, in the same turn: nothing enqueued is left behind.
    sweeping = undefined;
  }
}

async function removeAll(batch: string[]): Promise<void> {
  const result =
    process.platform === 'win32'
      ? undefined
      : await runProcess('rm', ['-rf', '--', ...batch], { cwd: path.dirname(batch[0] ?? '/') }).catch(
          () => undefined,
        );
  if (result?.code === 0) return;
  // No `rm`, or it could not delete everything: Node's own removal, one by one.
  for (const dir of batch) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}
