import { existsSync } from 'node:fs';
import type { Alert } from '../bus/alerts.js';
import { openCoordination } from '../bus/coordination.js';
import type { Convergence } from '../bus/context-types.js';
import type { BusCounts } from '../bus/types.js';
import type { RepoPaths } from '../git/repo.js';
import { stateDbFile } from './names.js';

/** What `status` shows of the bus and the context: open alerts, convergence, queue sizes. */
export interface CoordinationStatus {
  alerts: Alert[];
  /** Per context key: readers on its latest version and the age of the oldest unseen write. */
  context: Convergence[];
  messages: BusCounts;
}

/** Reads it for each milestone id (those with nothing to show are left out). */
export function readCoordinationStatus(
  repo: RepoPaths,
  milestones: string[],
): Map<string, CoordinationStatus> {
  const found = new Map<string, CoordinationStatus>();
  if (milestones.length === 0 || !existsSync(stateDbFile(repo.stateDir))) return found;
  const coordination = openCoordination(stateDbFile(repo.stateDir));
  try {
    for (const id of milestones) {
      const status = {
        alerts: coordination.alerts.open(id),
        context: coordination.context.convergence(id),
        messages: coordination.bus.counts(id),
      };
      const any = Object.values(status.messages).some((n) => n > 0);
      if (status.alerts.length > 0 || status.context.length > 0 || any) found.set(id, status);
    }
  } finally {
    coordination.close();
  }
  return found;
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`);

/** Lines for the text status: alerts first, then convergence and queues. */
export function coordinationLines(status: CoordinationStatus | undefined): string[] {
  if (!status) return [];
  const lines = status.alerts.map((alert) =>
    alert.kind === 'blocker'
      ? `  alert: blocker on ${alert.subject}: ${alert.message}`
      : `  alert: ${alert.message}`,
  );
  if (status.context.length > 0) {
    const lagging = status.context.filter((key) => key.onLatest < key.readers);
    const oldest = Math.max(0, ...lagging.map((key) => key.oldestUnseenMs ?? 0));
    const behind = lagging
      .slice(0, 3)
      .map((key) => `${key.key} ${key.onLatest}/${key.readers} on v${key.version}`)
      .join(', ');
    lines.push(
      `  context: ${status.context.length} keys, ${status.context.length - lagging.length} read at their latest version by every reader` +
        (lagging.length > 0 ? ` · oldest unseen update ${seconds(oldest)} (${behind})` : ''),
    );
  }
  const { pending, delivered, dead } = status.messages;
  if (pending + delivered + dead > 0) {
    const dlq = dead > 0 ? `, ${dead} dead (cairn msg dlq)` : '';
    lines.push(`  messages: ${pending} waiting, ${delivered} being handled${dlq}`);
  }
  return lines;
}
