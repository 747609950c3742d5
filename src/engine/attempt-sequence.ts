import type { TaskSpec } from '../spec/types.js';
import type { Clock } from '../shared/clock.js';
import type { AttemptHooks, AttemptResult, AttemptStart, TaskExecutor } from './attempt-types.js';
import { retryDelay, type BackoffPolicy } from './backoff.js';
import { admits, createBreaker, record, type Breaker, type BreakerPolicy } from './circuit-breaker.js';

export interface AttemptSequence {
  executor: TaskExecutor;
  signal: AbortSignal;
  clock: Clock;
  random: () => number;
  /** The task's profile, then its fallbacks in order. */
  agents: string[];
  retriesOf: (agent: string) => number;
  backoffOf: (agent: string) => BackoffPolicy;
  /** Circuit breakers by profile, shared by every task of the run. */
  breakers: Map<string, Breaker>;
  breakerPolicy: BreakerPolicy;
  start: AttemptStart;
  /** Index in `agents` of the profile the first attempt uses (a fallback when the task was rebalanced). */
  first?: number;
  /** Holds a slot of `agent` for the next attempt, waiting while the profile is full; false when stopped. */
  claim?: (agent: string) => Promise<boolean>;
  /** Journals the start of an attempt and returns its number. */
  begin: (agent: string) => number;
  /** Journals the end of an attempt. */
  end: (attempt: number, result: AttemptResult) => void;
  hooks: (attempt: number) => Pick<AttemptHooks, 'onPid' | 'onCommitted' | 'signal'>;
  notice: (message: string) => void;
  /** True when the task must stop after the attempt that just ended (an agent raised a blocker). */
  halted?: () => boolean;
}

function breakerOf(sequence: AttemptSequence, agent: string): Breaker {
  let breaker = sequence.breakers.get(agent);
  if (!breaker) {
    breaker = createBreaker();
    sequence.breakers.set(agent, breaker);
  }
  return breaker;
}

/** The first profile from `from` on whose circuit admits an attempt now, if any. */
function admittedAgent(sequence: AttemptSequence, from: number): number | undefined {
  for (let index = from; index < sequence.agents.length; index++) {
    if (admits(breakerOf(sequence, sequence.agents[index]!), sequence.clock.now(), sequence.breakerPolicy))
      return index;
  }
  return undefined;
}

/**
 * The task level of the recovery ladder: attempts on the task's profile with retries after
 * exponential, jittered delays; then each fallback profile in turn. A profile whose circuit
 * is open is passed over for the next fallback that admits work. Returns the last attempt's
 * result, or `interrupted` when the run stops.
 */
export async function runAttempts(task: TaskSpec, sequence: AttemptSequence): Promise<AttemptResult> {
  const { clock, signal } = sequence;
  let profile = sequence.first ?? 0;
  let retriesUsed = 0;
  let start = sequence.start;
  let last: AttemptResult | undefined;
  while (!signal.aborted) {
    // A circuit reroutes work to fallbacks; with nowhere else to go the task keeps its profile
    // rather than stall, since its own retries are bounded anyway.
    const admitted = admittedAgent(sequence, profile) ?? profile;
    if (admitted !== profile) {
      sequence.notice(
        `${task.id}: circuit of ${sequence.agents[profile]} is open; using ${sequence.agents[admitted]}`,
      );
      profile = admitted;
      retriesUsed = 0;
    }
    const agent = sequence.agents[profile]!;
    if (sequence.claim && !(await sequence.claim(agent))) break;
    const attempt = sequence.begin(agent);
    const previousFailure = last?.outcome === 'failed' ? last.reason : undefined;
    last = await sequence.executor.attempt(task, attempt, {
      agent,
      start,
      ...(previousFailure ? { previousFailure } : {}),
      ...sequence.hooks(attempt),
    });
    sequence.end(attempt, last);
    start = 'fresh';
    if (last.outcome === 'interrupted' || last.outcome === 'blocked') return last;
    // A blocked task is neither retried nor held against its profile's circuit.
    if (sequence.halted?.()) return last;
    record(breakerOf(sequence, agent), last.outcome === 'succeeded', clock.now(), sequence.breakerPolicy);
    if (last.outcome === 'succeeded') return last;
    sequence.notice(`${task.id}: attempt ${attempt} failed: ${last.reason}`);
    if (retriesUsed < sequence.retriesOf(agent)) {
      retriesUsed++;
      await clock.sleep(retryDelay(retriesUsed, sequence.backoffOf(agent), sequence.random), signal);
    } else if (profile + 1 < sequence.agents.length) {
      profile++;
      retriesUsed = 0;
      sequence.notice(
        `${task.id}: ${agent} used up its retries; falling back to ${sequence.agents[profile]}`,
      );
    } else {
      return last;
    }
  }
  return { outcome: 'interrupted', reason: 'the run was interrupted' };
}
