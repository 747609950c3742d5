import type { StoredEvent } from '../../store/events.js';
import type { MilestonePatch, MilestoneView } from './model.js';
import { feedEvent } from './read-model.js';
import type { SseChannel } from './sse.js';

/**
 * The clients watching one milestone, and what they were last sent: a change is computed once
 * and the same text written to every client, with only the rows that changed.
 */
export interface Room {
  readonly id: string;
  readonly channels: Set<SseChannel>;
  /** Diffs `view` against what was sent; returns the patch, or undefined when nothing changed. */
  diff(view: MilestoneView, events: StoredEvent[]): MilestonePatch | undefined;
  broadcast(event: string, data: string, id?: number): void;
  /** Progress: last text sent, when it was computed, and whether a newer computation is due. */
  progress: { text: string | null; at: number; busy: boolean; due: boolean };
}

const key = (parts: (string | number)[]) => parts.join('\u0000');

export function createRoom(id: string): Room {
  const tasks = new Map<string, string>();
  const attempts = new Map<string, string>();
  let header = '';
  let agents = '';
  let alerts = '';
  const channels = new Set<SseChannel>();

  const changed = <T>(rows: T[], sent: Map<string, string>, keyOf: (row: T) => string) => {
    const out: T[] = [];
    for (const row of rows) {
      const text = JSON.stringify(row);
      const k = keyOf(row);
      if (sent.get(k) !== text) {
        sent.set(k, text);
        out.push(row);
      }
    }
    return out;
  };

  return {
    id,
    channels,
    progress: { text: null, at: 0, busy: false, due: false },
    diff(view, events) {
      const patch: MilestonePatch = {
        header: view.header,
        tasks: changed(view.tasks, tasks, (t) => t.id),
        attempts: changed(view.attempts, attempts, (a) => key([a.task, a.attempt])),
        agents: view.agents,
        alerts: view.alerts,
        feed: events.map(feedEvent),
      };
      const headerText = JSON.stringify({ ...view.header, seq: 0 });
      const agentsText = JSON.stringify(view.agents);
      const alertsText = JSON.stringify(view.alerts);
      const same =
        patch.tasks.length === 0 &&
        patch.attempts.length === 0 &&
        patch.feed.length === 0 &&
        headerText === header &&
        agentsText === agents &&
        alertsText === alerts;
      header = headerText;
      agents = agentsText;
      alerts = alertsText;
      return same ? undefined : patch;
    },
    broadcast(event, data, seq) {
      for (const channel of channels) {
        if (!channel.send(event, data, seq)) channels.delete(channel);
      }
    },
  };
}
