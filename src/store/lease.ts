import type { LeaseOwner, LeaseResult } from './types.js';

/**
 * Decides whether `owner` may take the milestone's lease: free, held by a process on this
 * host that no longer exists, or expired on another host means yes; a live holder means no.
 */
export function decideLease(
  current: (LeaseOwner & { expires_at: number }) | undefined,
  owner: LeaseOwner,
  context: { now: number; host: string; isAlive: (pid: number, started?: string | null) => boolean },
): LeaseResult {
  if (!current) return { acquired: true };
  const holder: LeaseOwner = { run: current.run, pid: current.pid, host: current.host };
  if (current.run === owner.run) return { acquired: true };
  // On this host the process table is the truth; elsewhere only the heartbeat's expiry is.
  if (current.host === context.host) {
    return context.isAlive(current.pid, current.started)
      ? { acquired: false, holder }
      : {
          acquired: true,
          takenOverFrom: { ...holder, why: `process ${current.pid} is gone (or is another program now)` },
        };
  }
  if (current.expires_at <= context.now) {
    return { acquired: true, takenOverFrom: { ...holder, why: 'its lease expired' } };
  }
  return { acquired: false, holder };
}
