import { startFileMonitor, type ActivityBatch, type FileMonitor } from '../monitor/file-monitor.js';
import { liveLines } from '../monitor/live-lines.js';
import { kindTally } from '../shared/file-kind.js';
import type { TaskSpec } from '../spec/types.js';
import type { CairnEvent } from '../store/events.js';
import type { RunContext } from './run-context.js';

/** How often a running attempt's activity is journaled at most (out-of-scope writes go at once). */
export const ACTIVITY_JOURNAL_MS = 2_000;
/** Paths remembered per attempt; past this, new paths still count but are not told apart. */
const MAX_TRACKED_PATHS = 100_000;

export interface TaskMonitor {
  /** When a file of the worktree last changed (performance.now() clock). */
  lastChangeAt(): number | undefined;
  stop(): Promise<void>;
}

type Activity = Extract<CairnEvent, { type: 'task.activity' }>;

/**
 * Watches a running attempt's worktree: journals `task.activity` (files by kind, significance,
 * live lines), and at once the writes outside the task's scope — the projection raises the alert
 * and warns a running task whose scope was written into. Undefined when the watcher cannot start
 * (the run goes on; stall detection falls back to reading the worktree).
 */
export async function startTaskMonitor(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  dir: string,
  start: string,
): Promise<TaskMonitor | undefined> {
  const scopes = context.monitor?.scopes;
  if (!context.monitor || !scopes) return undefined;
  const touched = new Set<string>();
  const tally = kindTally();
  const reportedOut = new Set<string>();
  const reportedIn = new Set<string>();
  // The first routine entry comes after the interval: a short attempt journals only its totals.
  let lastJournal = performance.now();
  let dirty = false;
  let writing: Promise<void> = Promise.resolve();

  const totals = () => ({
    files: touched.size,
    byKind: { ...tally.byKind },
    significance: tally.significance(),
  });
  const journal = async (extra: Pick<Activity, 'outOfScope' | 'intrusions'>, withLines: boolean) => {
    dirty = false;
    lastJournal = performance.now();
    const lines = withLines ? await liveLines(dir, start, [...touched]) : undefined;
    context.store.append({
      type: 'task.activity',
      milestone: context.spec.id,
      task: task.id,
      attempt,
      ...totals(),
      ...(lines ? { lines } : {}),
      ...extra,
    });
  };
  const onBatch = (batch: ActivityBatch) => {
    for (const path of batch.paths) {
      if (touched.size >= MAX_TRACKED_PATHS || touched.has(path)) continue;
      touched.add(path);
      tally.add(path);
    }
    dirty = true;
    const outOfScope = batch.correlation.outOfScope.filter((path) => !reportedOut.has(path));
    outOfScope.forEach((path) => reportedOut.add(path));
    const intrusions = batch.correlation.intrusions
      .map(({ task: owner, paths }) => ({
        task: owner,
        paths: paths.filter((path) => !reportedIn.has(`${owner}\0${path}`)),
      }))
      .filter((intrusion) => intrusion.paths.length > 0);
    intrusions.forEach(({ task: owner, paths }) => paths.forEach((p) => reportedIn.add(`${owner}\0${p}`)));
    const urgent = outOfScope.length > 0 || intrusions.length > 0;
    if (!urgent && performance.now() - lastJournal < ACTIVITY_JOURNAL_MS) return;
    const extra = {
      ...(outOfScope.length > 0 ? { outOfScope } : {}),
      ...(intrusions.length > 0 ? { intrusions } : {}),
    };
    // Urgent news is not held up by a diff; the lines follow with the next routine entry.
    writing = writing.then(() => journal(extra, !urgent)).catch(() => undefined);
  };

  let monitor: FileMonitor;
  try {
    monitor = await startFileMonitor({
      dir,
      own: { task: task.id, files: task.files },
      others: () => [...scopes].map(([other, files]) => ({ task: other, files })),
      onBatch,
      ...(context.monitor.debounceMs !== undefined ? { debounceMs: context.monitor.debounceMs } : {}),
    });
  } catch (error) {
    context.monitor.unavailable?.(error instanceof Error ? error.message : String(error));
    return undefined;
  }
  scopes.set(task.id, task.files);
  return {
    lastChangeAt: () => monitor.lastChangeAt(),
    async stop() {
      scopes.delete(task.id);
      await monitor.stop();
      await writing;
      // The last totals; lines are left out: the attempt's commit tells them from here on.
      if (dirty) await journal({}, false).catch(() => undefined);
    },
  };
}
