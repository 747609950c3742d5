import { existsSync, watch, type FSWatcher } from 'node:fs';
import type { RepoPaths } from '../../git/repo.js';
import { stateDbFile } from '../../engine/names.js';
import { openStore } from '../../engine/open-store.js';
import { InputError, isCairnError } from '../../shared/errors.js';
import type { StoredEvent } from '../../store/events.js';
import type { Store } from '../../store/types.js';
import { openJournalWatch, type JournalWatch } from '../../store/watch-journal.js';
import type { MilestoneView } from './model.js';
import { readProgressView } from './progress-view.js';
import { FEED, isLive, readMilestoneView } from './read-model.js';
import { createRoom, type Room } from './room.js';
import { readSpecView, readSummaries } from './spec-view.js';
import type { SseChannel } from './sse.js';

export interface HubOptions {
  repo: RepoPaths;
  /** How often the journal is checked for changes, besides file-change notifications. */
  pollMs?: number;
  /** Least time between two progress computations of a milestone (they read git). */
  progressMs?: number;
  onError?: (error: unknown) => void;
}

/** Watches the journal and pushes what changed to the pages watching it (server-sent events). */
export interface Hub {
  /** Opens the state database if there is one (a newer schema is an exit-2 error). */
  open(): void;
  store(): Store | undefined;
  /** A milestone's whole view now (from its spec when it never ran); throws for an unknown one. */
  view(id: string): MilestoneView;
  /** A run holds the milestone now. */
  live(id: string): boolean;
  /** `view`: the snapshot to start from, when the caller already read it. */
  watchMilestone(id: string, channel: SseChannel, view?: MilestoneView): void;
  /** Sends an event to the pages of one milestone. */
  broadcast(milestone: string, event: string, data: string): void;
  watchList(channel: SseChannel): void;
  /** Checks the journal now (after an action), instead of at the next tick. */
  check(): void;
  clients(): number;
  close(): void;
}

export function createHub(options: HubOptions): Hub {
  const { repo } = options;
  const file = stateDbFile(repo.stateDir);
  const rooms = new Map<string, Room>();
  const lists = new Set<SseChannel>();
  let store: Store | undefined;
  let journal: JournalWatch | undefined;
  let version = -1;
  let seq = 0;
  let listTimer: NodeJS.Timeout | undefined;
  let scheduled: NodeJS.Timeout | undefined;
  let fsWatcher: FSWatcher | undefined;
  const report = options.onError ?? (() => undefined);

  function open(): void {
    if (store || !existsSync(file)) return;
    try {
      store = openStore(repo, { quickCheck: false });
    } catch (error) {
      if (isCairnError(error)) throw error;
      throw new InputError(
        'E_STATE_SCHEMA',
        `cannot read the state database ${file}: ${(error as Error).message}`,
        {
          hint: 'Use the Cairn version that wrote it, or run `cairn doctor`.',
        },
      );
    }
    journal = openJournalWatch(file);
    // A database that appeared while pages were open: they are sent every event from the first.
    seq = rooms.size + lists.size > 0 ? 0 : journal.lastSeq();
    version = -1;
  }

  function snapshotOf(id: string): MilestoneView {
    const view = store ? readMilestoneView(store, id, seq, journal!.recent(id, FEED)) : undefined;
    return view ?? readSpecView(repo, id);
  }

  function sendSummaries(): void {
    listTimer = undefined;
    if (lists.size === 0) return;
    const text = JSON.stringify(readSummaries(repo, store));
    for (const channel of lists) if (!channel.send('milestones', text, seq)) lists.delete(channel);
  }

  function scheduleProgress(room: Room): void {
    const state = room.progress;
    if (state.busy) {
      state.due = true;
      return;
    }
    const wait = Math.max(0, state.at + (options.progressMs ?? 2000) - Date.now());
    state.busy = true;
    state.due = false;
    setTimeout(() => {
      readProgressView(repo, room.id)
        .then((view) => {
          const text = JSON.stringify(view);
          if (text !== state.text) {
            state.text = text;
            room.broadcast('progress', text);
          }
        })
        .catch(report)
        .finally(() => {
          state.at = Date.now();
          state.busy = false;
          if (state.due && rooms.get(room.id) === room) scheduleProgress(room);
        });
    }, wait).unref();
  }

  function publish(room: Room, events: StoredEvent[]): void {
    if (!store) return;
    const view = readMilestoneView(store, room.id, seq, []);
    if (!view) return;
    const patch = room.diff(view, events);
    if (patch) room.broadcast('patch', JSON.stringify(patch), seq);
    if (events.length > 0) scheduleProgress(room);
  }

  function check(): void {
    try {
      open();
      if (!journal) return;
      const now = journal.version();
      if (now === version) return;
      version = now;
      for (;;) {
        const events = journal.eventsAfter(seq, 5000);
        if (events.length === 0) break;
        seq = events[events.length - 1]!.seq;
        const byMilestone = new Map<string, StoredEvent[]>();
        for (const event of events) {
          const list = byMilestone.get(event.milestone);
          if (list) list.push(event);
          else byMilestone.set(event.milestone, [event]);
        }
        for (const [id, list] of byMilestone) {
          const room = rooms.get(id);
          if (room) publish(room, list);
        }
        if (lists.size > 0 && !listTimer) listTimer = setTimeout(sendSummaries, 300);
      }
    } catch (error) {
      report(error);
    }
  }

  const schedule = () => {
    if (!scheduled) {
      scheduled = setTimeout(() => {
        scheduled = undefined;
        check();
      }, 5);
    }
  };
  const poll = setInterval(check, options.pollMs ?? 200);
  // A run that dies without journaling its end: its header stops saying "live".
  const liveness = setInterval(() => {
    for (const room of rooms.values()) publish(room, []);
  }, 5000);
  const pings = setInterval(() => {
    for (const room of rooms.values()) for (const channel of room.channels) channel.ping();
    for (const channel of lists) channel.ping();
  }, 15_000);
  try {
    fsWatcher = watch(repo.stateDir, { persistent: false }, schedule);
    fsWatcher.on('error', () => fsWatcher?.close());
  } catch {
    // No state directory yet: polling notices the database when a run creates it.
  }

  return {
    open,
    store: () => store,
    view(id) {
      check();
      return snapshotOf(id);
    },
    live: (id) => isLive(store?.latestRun(id)),
    broadcast: (milestone, event, data) => rooms.get(milestone)?.broadcast(event, data),
    watchMilestone(id, channel, given) {
      if (!given) check();
      let room = rooms.get(id);
      if (!room) {
        room = createRoom(id);
        rooms.set(id, room);
      }
      const view = given ?? snapshotOf(id);
      // Those already watching catch up to this same view, then the newcomer joins with it whole.
      const patch = room.diff(view, []);
      if (patch) room.broadcast('patch', JSON.stringify(patch), seq);
      room.channels.add(channel);
      channel.send('snapshot', JSON.stringify(view), seq);
      if (room.progress.text) channel.send('progress', room.progress.text);
      scheduleProgress(room);
      const joined = room;
      channel.onClose(() => {
        joined.channels.delete(channel);
        if (joined.channels.size === 0 && rooms.get(id) === joined) rooms.delete(id);
      });
    },
    watchList(channel) {
      check();
      lists.add(channel);
      channel.onClose(() => lists.delete(channel));
      channel.send('milestones', JSON.stringify(readSummaries(repo, store)), seq);
    },
    check,
    clients: () => lists.size + [...rooms.values()].reduce((n, room) => n + room.channels.size, 0),
    close() {
      clearInterval(poll);
      clearInterval(liveness);
      clearInterval(pings);
      clearTimeout(scheduled);
      clearTimeout(listTimer);
      fsWatcher?.close();
      for (const room of rooms.values()) for (const channel of room.channels) channel.close();
      for (const channel of lists) channel.close();
      rooms.clear();
      journal?.close();
      store?.close();
    },
  };
}
