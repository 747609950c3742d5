import { blockerSince, openAlerts, raiseAlert, type Alert } from './alerts.js';
import type { SharedContext } from './context-types.js';
import { inTransaction, openCoordinationDb } from './db.js';
import { createSqliteBus, type SqliteBusOptions } from './sqlite-bus.js';
import { createSqliteContext } from './sqlite-context.js';
import type { Bus } from './types.js';

/** Alerts for `status` and dashboards: blockers and unresolved context conflicts. */
export interface Alerts {
  raise(alert: Omit<Alert, 'id'>): Alert;
  open(milestone: string): Alert[];
  /** The reason of the latest blocker raised for `task` since `since` (epoch ms), if any. */
  blockerSince(milestone: string, task: string, since: number): string | undefined;
}

/**
 * The bus, the context and the alerts on one connection, so an ack and the context writes
 * it causes commit together (exactly-once effects).
 */
export interface Coordination {
  bus: Bus;
  context: SharedContext;
  alerts: Alerts;
  transaction<T>(fn: () => T): T;
  close(): void;
}

export function openCoordination(file: string, options: SqliteBusOptions = {}): Coordination {
  const db = openCoordinationDb(file);
  return {
    bus: createSqliteBus(db, options),
    context: createSqliteContext(db, options.now ? { now: options.now } : {}),
    alerts: {
      raise: (alert) => raiseAlert(db, alert),
      open: (milestone) => openAlerts(db, milestone),
      blockerSince: (milestone, task, since) => blockerSince(db, milestone, task, since),
    },
    transaction: (fn) => inTransaction(db, fn),
    close: () => db.close(),
  };
}
