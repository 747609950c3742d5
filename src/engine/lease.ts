import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { LockedError } from '../shared/errors.js';
import { processStartTicks } from '../shared/proc.js';
import type { Store } from '../store/types.js';
import type { RunReporter } from './reporter.js';

const LEASE_TTL_MS = 30_000;
const HEARTBEAT_MS = 5_000;

export function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Takes the milestone's lease or says which live run holds it (exit 3). */
export function takeLease(store: Store, milestone: string, run: string, reporter: RunReporter): () => void {
  const owner = { run, pid: process.pid, host: hostname(), started: processStartTicks(process.pid) ?? null };
  const lease = store.acquireLease(milestone, owner, LEASE_TTL_MS);
  if (!lease.acquired) {
    const { pid, host } = lease.holder;
    throw new LockedError(
      `milestone ${milestone} is being run by process ${pid} on ${host} (run ${lease.holder.run})`,
      'Wait for that run to finish, or stop it (Ctrl-C) and run again.',
    );
  }
  if (lease.takenOverFrom) {
    reporter.onNotice(
      `took over the lease of run ${lease.takenOverFrom.run} (pid ${lease.takenOverFrom.pid}): ${lease.takenOverFrom.why}`,
    );
  }
  const heartbeat = setInterval(() => store.renewLease(milestone, run, LEASE_TTL_MS), HEARTBEAT_MS);
  heartbeat.unref();
  return () => {
    clearInterval(heartbeat);
    store.releaseLease(milestone, run);
  };
}
