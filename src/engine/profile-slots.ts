/**
 * Attempts running per agent profile under each profile's `max_concurrency`. A task holds a
 * slot of the profile it runs on from its start until it ends or moves to another profile;
 * a task moving to a full profile waits in line, ahead of tasks not started yet.
 */
export interface ProfileSlots {
  /** Whether a new task could take a slot of `agent` now. */
  hasRoom(agent: string): boolean;
  /** Takes a slot the caller saw room for. */
  take(agent: string): void;
  /** Waits for a slot of `agent`; false when `signal` aborts first. */
  acquire(agent: string, signal: AbortSignal): Promise<boolean>;
  /** Gives a slot back: to the first task waiting for it, else to the pool. */
  release(agent: string): void;
  running(agent: string): number;
}

/** `limitOf` gives a profile's limit, undefined for none; `onFree` hears of each slot back in the pool. */
export function createProfileSlots(
  limitOf: (agent: string) => number | undefined,
  onFree: (agent: string) => void = () => undefined,
): ProfileSlots {
  const held = new Map<string, number>();
  const waiters = new Map<string, (() => void)[]>();
  const running = (agent: string) => held.get(agent) ?? 0;
  const hasRoom = (agent: string) => {
    const limit = limitOf(agent);
    return limit === undefined || (running(agent) < limit && (waiters.get(agent)?.length ?? 0) === 0);
  };
  const take = (agent: string) => held.set(agent, running(agent) + 1);
  return {
    hasRoom,
    take,
    acquire(agent, signal) {
      if (signal.aborted) return Promise.resolve(false);
      if (hasRoom(agent)) {
        take(agent);
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const line = waiters.get(agent) ?? [];
        waiters.set(agent, line);
        const granted = () => {
          signal.removeEventListener('abort', gaveUp);
          resolve(true);
        };
        function gaveUp() {
          const at = line.indexOf(granted);
          if (at >= 0) line.splice(at, 1);
          resolve(false);
        }
        line.push(granted);
        signal.addEventListener('abort', gaveUp, { once: true });
      });
    },
    release(agent) {
      // Handed over, the slot stays counted: the waiter now holds it.
      const next = waiters.get(agent)?.shift();
      if (next) return next();
      held.set(agent, Math.max(0, running(agent) - 1));
      onFree(agent);
    },
    running,
  };
}
