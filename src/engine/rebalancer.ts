import type { Clock } from '../shared/clock.js';
import type { Breaker, BreakerPolicy } from './circuit-breaker.js';
import { createProfileSlots } from './profile-slots.js';
import { placeTask, refusesWork, type Placement } from './rebalance.js';

/** The run loop's side of rebalancing: which profile a ready task starts on, and the slots held. */
export interface Rebalancer {
  /** Tasks in one lane share their profile chain, so they share every placement answer. */
  laneOf(id: string): string;
  /** Where the task would start now; undefined while it must wait. */
  place(id: string): Placement | undefined;
  /** Takes the slot a placement found. */
  hold(id: string, agent: string): void;
  /** Before each attempt: moves the task's slot to `agent`, waiting while that profile is full. */
  claim(id: string, agent: string, signal: AbortSignal): Promise<boolean>;
  /** When the task's attempts are over. */
  release(id: string): void;
}

export interface RebalancerOptions {
  /** Each task's profile, then its fallbacks in order. */
  chains: Map<string, string[]>;
  limitOf?: (agent: string) => number | undefined;
  breakers: Map<string, Breaker>;
  policy: BreakerPolicy;
  clock: Clock;
  /** A slot went back to the pool: a waiting task may start now. */
  onFree: () => void;
}

/** Undefined when no profile has a limit and no task has a fallback: every task runs on its own profile. */
export function createRebalancer(options: RebalancerOptions): Rebalancer | undefined {
  const { chains, breakers, policy, clock } = options;
  const limitOf = options.limitOf ?? (() => undefined);
  const agents = new Set([...chains.values()].flat());
  const limited = [...agents].some((agent) => limitOf(agent) !== undefined);
  if (!limited && [...chains.values()].every((chain) => chain.length <= 1)) return undefined;
  const lanes = new Map([...chains].map(([id, chain]) => [id, chain.join('\n')]));
  const slots = createProfileSlots(limitOf, () => options.onFree());
  const held = new Map<string, string>();
  const view = {
    hasRoom: slots.hasRoom,
    isOpen: (agent: string) => refusesWork(breakers.get(agent), clock.now(), policy),
  };
  const release = (id: string) => {
    const agent = held.get(id);
    if (agent === undefined) return;
    held.delete(id);
    slots.release(agent);
  };
  return {
    laneOf: (id) => lanes.get(id) ?? '',
    place: (id) => placeTask(chains.get(id) ?? [], view),
    hold(id, agent) {
      slots.take(agent);
      held.set(id, agent);
    },
    async claim(id, agent, signal) {
      if (held.get(id) === agent) return true;
      release(id);
      const granted = await slots.acquire(agent, signal);
      if (granted) held.set(id, agent);
      return granted;
    },
    release,
  };
}
