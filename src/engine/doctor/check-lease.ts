import { processStartTicks } from '../../shared/proc.js';
import type { LeaseRow } from '../../store/read-leases.js';
import { finding, type Finding } from './types.js';
import { isRunning } from './processes.js';

export interface LeaseWorld {
  host: string;
  now: number;
  /** Whether the holder runs; `started` (its start time, when recorded) tells a reused pid apart. */
  isRunning: (pid: number, started?: string | null) => boolean;
}

/** The lease holder's process is alive and, when its start time was recorded, the same process. */
export function isHolderRunning(pid: number, started?: string | null): boolean {
  return isRunning(pid) && (!started || processStartTicks(pid) === started);
}

/** On this host the process table decides; elsewhere only the heartbeat's expiry can. */
export function isLeaseLive(lease: LeaseRow, world: LeaseWorld): boolean {
  return lease.host === world.host ? world.isRunning(lease.pid, lease.started) : lease.expires_at > world.now;
}

/** Each milestone lease: held by a live run (fine) or left by a dead one (stale; --repair releases it). */
export function checkLeases(leases: LeaseRow[] | undefined, world: LeaseWorld): Finding[] {
  if (!leases)
    return [finding('lease', 'warn', 'not checked: the state database cannot be read (see database)')];
  if (leases.length === 0) return [finding('lease', 'ok', 'no milestone is locked by a run')];
  return leases.map((lease) => {
    const who = `run ${lease.run} (pid ${lease.pid} on ${lease.host})`;
    if (isLeaseLive(lease, world)) {
      const until =
        lease.host === world.host
          ? 'the process is alive'
          : `its heartbeat runs until ${new Date(lease.expires_at).toISOString()}`;
      return finding('lease', 'ok', `milestone ${lease.milestone} is held by ${who}; ${until}`);
    }
    const why =
      lease.host === world.host
        ? world.isRunning(lease.pid)
          ? `pid ${lease.pid} now belongs to another program`
          : `process ${lease.pid} is gone`
        : `it expired at ${new Date(lease.expires_at).toISOString()}`;
    return finding(
      'lease',
      'warn',
      `stale lease on milestone ${lease.milestone}: ${who} holds it but ${why}`,
      '`cairn doctor --repair` releases it (the next `cairn run` would also take it over).',
      { kind: 'release-lease', milestone: lease.milestone, run: lease.run },
    );
  });
}
