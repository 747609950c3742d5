import { diffNames, readStatus } from '../git/status.js';
import { correlate } from '../monitor/correlate.js';
import { startFileMonitor, type ActivityBatch, type FileMonitor } from '../monitor/file-monitor.js';
import { liveLines } from '../monitor/live-lines.js';
import { kindTally } from '../shared/file-kind.js';
import type { TaskSpec } from '../spec/types.js';
import type { CairnEvent } from '../store/events.js';
import type { RunContext } from './run-context.js';

/** How often a running attempt's activity is journaled at most (out-of-scope writes go at once). */
export const ACTIVITY_JOURNAL_MS = 2_000;
/**
 * How long an attempt runs before its worktree is watched. An attempt over by then is told by
 * its commit (`account`); a longer one is watched from then on, its earlier changes read once.
 */
export const DEFAULT_WATCH_AFTER_MS = 1_000;
/** Paths remembered per attempt; past this, new paths still count but are not told apart. */
const MAX_TRACKED_PATHS = 100_000;

export interface TaskMonitor {
  /** Whether the worktree's watcher runs now. */
  watching(): boolean;
  /** When a file of the worktree last changed (performance.now() clock). */
  lastChangeAt(): number | undefined;
  /** Stops watching; pending changes are journaled. */
  stop(): Promise<void>;
  /**
   * Counts the attempt's changed paths (committed and staged) that the watcher did not see,
   * the scope checks included, and journals them: all of them when the attempt ended before
   * its watcher started.
   */
  account(paths: string[]): Promise<void>;
}

type Activity = Extract<CairnEvent, { type: 'task.activity' }>;
type News = Pick<Activity, 'outOfScope' | 'intrusions'>;

/**
 * Watches a running attempt's worktree: journals `task.activity` (files by kind, significance,
 * live lines), and at once the writes outside the task's scope — the projection raises the alert
 * and warns a running task whose scope was written into. Undefined when the run watches no
 * worktrees. A watcher that cannot start is said once; stall detection then reads the worktree.
 */
export function startTaskMonitor(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  dir: string,
  start: string,
): TaskMonitor | undefined {
  const settings = context.monitor;
  const scopes = settings?.scopes;
  if (!settings || !scopes) return undefined;
  const own = { task: task.id, files: task.files };
  const others = () => [...scopes].map(([other, files]) => ({ task: other, files }));
  const touched = new Set<string>();
  const tally = kindTally();
  const reportedOut = new Set<string>();
  const reportedIn = new Set<string>();
  // The first routine entry comes after the interval: a short attempt journals only its totals.
  let lastJournal = performance.now();
  let dirty = false;
  let writing: Promise<void> = Promise.resolve();

  const journal = async (extra: News, withLines: boolean) => {
    dirty = false;
    lastJournal = performance.now();
    const lines = withLines ? await liveLines(dir, start, [...touched]) : undefined;
    context.store.append({
      type: 'task.activity',
      milestone: context.spec.id,
      task: task.id,
      attempt,
      files: touched.size,
      byKind: { ...tally.byKind },
      significance: tally.significance(),
      ...(lines ? { lines } : {}),
      ...extra,
    });
  };
  /** Takes in a batch; returns what in it is news for the scope checks. */
  const record = (batch: Pick<ActivityBatch, 'paths' | 'correlation'>): News => {
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
    return {
      ...(outOfScope.length > 0 ? { outOfScope } : {}),
      ...(intrusions.length > 0 ? { intrusions } : {}),
    };
  };
  const onBatch = (batch: Pick<ActivityBatch, 'paths' | 'correlation'>) => {
    const news = record(batch);
    const urgent = news.outOfScope !== undefined || news.intrusions !== undefined;
    if (!urgent && performance.now() - lastJournal < ACTIVITY_JOURNAL_MS) return;
    // Urgent news is not held up by a diff; the lines follow with the next routine entry.
    writing = writing.then(() => journal(news, !urgent)).catch(() => undefined);
  };
  /** The paths changed since `start` (committed or not) that the watcher came too late for. */
  const catchUp = async () => {
    const paths = await changedSince(dir, start);
    if (paths.length > 0) onBatch({ paths, correlation: correlate(paths, own, others()) });
  };

  // The scope is claimed at once: a neighbour's write into it is news from the start.
  scopes.set(task.id, task.files);
  let watcher: FileMonitor | undefined;
  let stopped = false;
  let starting: Promise<void> = Promise.resolve();
  const begin = async () => {
    try {
      const started = await startFileMonitor({
        dir,
        own,
        others,
        onBatch,
        ...(settings.debounceMs !== undefined ? { debounceMs: settings.debounceMs } : {}),
      });
      if (stopped) return await started.stop();
      watcher = started;
      await catchUp();
    } catch (error) {
      settings.unavailable?.(error instanceof Error ? error.message : String(error));
    }
  };
  const timer = setTimeout(() => {
    starting = begin();
  }, settings.watchAfterMs ?? DEFAULT_WATCH_AFTER_MS);

  return {
    watching: () => watcher !== undefined,
    lastChangeAt: () => watcher?.lastChangeAt(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      scopes.delete(task.id);
      await starting;
      await watcher?.stop();
      watcher = undefined;
      await writing;
      // The last totals; lines are left out: the attempt's commit tells them from here on.
      if (dirty) await journal({}, false).catch(() => undefined);
    },
    async account(paths) {
      const unseen = [...new Set(paths)].filter((path) => !touched.has(path));
      if (unseen.length === 0) return;
      const news = record({ paths: unseen, correlation: correlate(unseen, own, others()) });
      await writing;
      await journal(news, false).catch(() => undefined);
    },
  };
}

/** Paths changed in a worktree since `start`, committed or not; the agent's index left alone. */
async function changedSince(dir: string, start: string): Promise<string[]> {
  const status = await readStatus(dir, { env: { GIT_OPTIONAL_LOCKS: '0' } }).catch(() => undefined);
  if (!status) return [];
  const { head, changes } = status;
  const committed = head && head !== start ? await diffNames(dir, start, head).catch(() => []) : [];
  return [...new Set([...committed, ...changes].map((change) => change.path))];
}
