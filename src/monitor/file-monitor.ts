import { readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { correlate, type Correlation, type ScopeOwner } from './correlate.js';
import { ignoredPaths, watcherIgnores } from './ignore-rules.js';

/** One debounced batch of changes in a worktree, correlated to its task. */
export interface ActivityBatch {
  /** Changed paths, relative to the worktree, posix, ignored ones left out. */
  paths: string[];
  correlation: Correlation;
  /** From the first raw event of the batch to its correlation, in milliseconds. */
  latencyMs: number;
}

export interface MonitorOptions {
  dir: string;
  own: ScopeOwner;
  /** The other tasks running now, asked at each batch. */
  others: () => ScopeOwner[];
  onBatch: (batch: ActivityBatch) => void;
  /** Quiet time that closes a batch; a batch also closes after 8 × this under constant writes. */
  debounceMs?: number;
  now?: () => number;
}

export interface FileMonitor {
  /** When a file last changed (the `now` clock), undefined before the first change. */
  lastChangeAt(): number | undefined;
  /** Flushes the pending batch and stops watching. */
  stop(): Promise<void>;
}

export const DEFAULT_DEBOUNCE_MS = 250;

/**
 * Watches one worktree with the native recursive watcher (inotify, FSEvents, …), so start-up
 * walks directories once and an idle tree costs nothing; ignored folders are never watched.
 */
export async function startFileMonitor(options: MonitorOptions): Promise<FileMonitor> {
  const { subscribe } = await import('@parcel/watcher');
  const now = options.now ?? (() => performance.now());
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const dir = path.resolve(options.dir);
  let pending = new Set<string>();
  let firstAt = 0;
  let lastAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const flush = () => {
    timer = undefined;
    if (pending.size === 0) return flushing;
    const batch = [...pending];
    const started = firstAt;
    pending = new Set();
    flushing = flushing.then(async () => {
      const files = batch.flatMap((file) => filesOf(dir, file));
      const ignored = await ignoredPaths(dir, files);
      const paths = [...new Set(files.filter((file) => !ignored.has(file)))];
      if (paths.length === 0) return;
      const correlation = correlate(paths, options.own, options.others());
      options.onBatch({ paths, correlation, latencyMs: Math.round(now() - started) });
    });
    return flushing;
  };

  const subscription = await subscribe(
    dir,
    (error, events) => {
      if (error) return;
      const at = now();
      for (const event of events) {
        const relative = path.relative(dir, event.path).split(path.sep).join('/');
        if (relative === '' || relative.startsWith('../')) continue;
        if (pending.size === 0) firstAt = at;
        pending.add(relative);
      }
      if (pending.size === 0) return;
      lastAt = at;
      if (timer) clearTimeout(timer);
      const waited = at - firstAt;
      timer = setTimeout(flush, waited >= debounceMs * 8 ? 0 : debounceMs);
    },
    // On Linux, inotify directly: the default first probes for watchman with a shell.
    { ignore: watcherIgnores(dir), ...(process.platform === 'linux' ? { backend: 'inotify' as const } : {}) },
  );

  return {
    lastChangeAt: () => lastAt,
    async stop() {
      if (timer) clearTimeout(timer);
      await flush();
      await subscription.unsubscribe();
    },
  };
}

/** Files listed from one created folder at most: a copied-in tree is not read whole. */
const MAX_LISTED = 10_000;
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/**
 * A changed path as the files it stands for: itself, or for a created folder the files in it —
 * they may have been written before the watcher had a watch on the new folder.
 */
function filesOf(dir: string, file: string): string[] {
  try {
    if (!statSync(path.join(dir, file)).isDirectory()) return [file];
  } catch {
    return [file]; // deleted since: a deletion counts
  }
  const found: string[] = [];
  const folders = [file];
  for (
    let folder = folders.pop();
    folder !== undefined && found.length < MAX_LISTED;
    folder = folders.pop()
  ) {
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(path.join(dir, folder), { withFileTypes: true });
    } catch {
      continue; // removed meanwhile
    }
    for (const entry of entries) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) folders.push(relative);
      else if (entry.isFile() && found.length < MAX_LISTED) found.push(relative);
    }
  }
  return found;
}
