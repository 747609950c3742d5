import { statSync, watch, type FSWatcher } from 'node:fs';

/**
 * Notices whether a running agent is doing anything: its log growing or files changing in
 * its worktree. `idleFor()` is the time since the last sign of life.
 */
export interface ActivityProbe {
  idleFor(): number;
  close(): void;
}

export function watchActivity(
  logFile: string,
  dir: string | undefined,
  now: () => number = Date.now,
): ActivityProbe {
  let last = now();
  let logSize = -1;
  let watcher: FSWatcher | undefined;
  try {
    // Recursive watching is native on Linux since Node 20; where it is missing, output alone counts.
    watcher = dir ? watch(dir, { recursive: true }, () => (last = now())) : undefined;
    watcher?.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return {
    idleFor() {
      const size = sizeOf(logFile);
      if (size !== logSize) {
        logSize = size;
        last = now();
      }
      return now() - last;
    },
    close() {
      watcher?.close();
    },
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}
