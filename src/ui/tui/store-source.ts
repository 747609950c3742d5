import { existsSync } from 'node:fs';
import { actOnTask } from '../../engine/manual.js';
import { stateDbFile } from '../../engine/names.js';
import { openStore } from '../../engine/open-store.js';
import { peekProgress } from '../../engine/progress.js';
import type { RepoPaths } from '../../git/repo.js';
import type { ProgressReport } from '../../progress/types.js';
import { isCairnError } from '../../shared/errors.js';
import type { StoredEvent } from '../../store/events.js';
import type { Store } from '../../store/types.js';
import { tailLines } from './log-tail.js';
import type { WatchSnapshot, WatchSource } from './model.js';
import { readSnapshot } from './read-snapshot.js';
import type { WatchTarget } from './target.js';

/** Progress (git) and the timeline (the whole journal) are re-read on change, or this often. */
const SLOW_REFRESH_MS = 10_000;

function waitingSnapshot(target: WatchTarget): WatchSnapshot {
  return {
    milestone: target.id,
    title: target.title,
    waiting: true,
    state: 'not started',
    run: null,
    overall: null,
    confidence: null,
    tasks: target.planned,
    agents: [],
    alerts: [],
    insights: null,
    timeline: [],
  };
}

/**
 * Reads the state database with one connection kept open (reads only: no write transaction, so
 * a live run never waits on the dashboard). Until the database or the milestone exists, it
 * reports "waiting" and keeps looking.
 */
export function createStoreSource(repo: RepoPaths, target: WatchTarget): WatchSource {
  const file = stateDbFile(repo.stateDir);
  let store: Store | undefined;
  let fingerprint = '';
  let slowAt = 0;
  let report: ProgressReport | undefined;
  let events: StoredEvent[] = [];

  const open = () => {
    if (!store && existsSync(file)) store = openStore(repo, { quickCheck: false });
    return store;
  };

  return {
    async read() {
      const db = open();
      if (!db?.milestone(target.id)) return waitingSnapshot(target);
      const now = Date.now();
      const next = JSON.stringify([db.latestRun(target.id), db.tasks(target.id), db.attempts(target.id)]);
      if (next !== fingerprint || now - slowAt >= SLOW_REFRESH_MS) {
        fingerprint = next;
        slowAt = now;
        events = db.events(target.id);
        // Progress reads git; a failure there (a branch being moved) keeps the last figures.
        report = (await peekProgress(repo, db, target.id, now).catch(() => report)) ?? report;
      }
      return readSnapshot(db, target.id, report, events, now) ?? waitingSnapshot(target);
    },
    async logTail(task, lines) {
      const attempts =
        open()
          ?.attempts(target.id)
          .filter((a) => a.task === task) ?? [];
      const latest = attempts.sort((a, b) => a.attempt - b.attempt).at(-1);
      return latest ? tailLines(latest.log_file, lines) : [];
    },
    async act(action, task) {
      try {
        const row = await actOnTask(repo.root, target.id, task, action);
        fingerprint = '';
        return `${action}: ${task} is now ${row.state}; it takes effect on the next cairn run`;
      } catch (error) {
        if (isCairnError(error))
          throw new Error(error.hint ? `${error.message} (${error.hint})` : error.message);
        throw error;
      }
    },
    close() {
      store?.close();
      store = undefined;
    },
  };
}
