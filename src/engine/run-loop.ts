import type { TaskSpec } from '../spec/types.js';
import type { CairnEvent, TaskState } from '../store/events.js';
import type { Store } from '../store/types.js';
import type { TaskExecutor } from './attempt-types.js';
import { runAttempts } from './attempt-sequence.js';
import type { BackoffPolicy } from './backoff.js';
import { DEFAULT_BREAKER, type Breaker, type BreakerPolicy } from './circuit-breaker.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { concurrencyAt } from './degradation.js';
import type { SystemSample } from './health.js';
import { createRunHealth } from './run-health.js';
import type { ResumePoint } from './reconcile.js';
import type { RunReporter } from './reporter.js';
import { createSchedule, type StartVerdict } from './schedule.js';
import { remainingCriticality } from './priority.js';
import { watchBlocker } from './blocker-watch.js';
import { describeMove, type Placement } from './rebalance.js';
import { createRebalancer } from './rebalancer.js';
import { cpuMeter, decideConcurrency, memFree, type TunePrevious } from './auto-tune.js';
import { createJournalBatch } from './journal-batch.js';
import { attemptEnded } from './attempt-ended.js';

export interface LoopOptions {
  milestone: string;
  run: string;
  tasks: TaskSpec[];
  store: Store;
  executor: TaskExecutor;
  concurrency: number;
  /** The task's profile, then its fallbacks in order. */
  agentsOf: (task: TaskSpec) => string[];
  /** A profile's `max_concurrency`: attempts it may run at once; undefined for no limit of its own. */
  limitOf?: (agent: string) => number | undefined;
  retriesOf: (task: TaskSpec, agent: string) => number;
  backoffOf: (task: TaskSpec, agent: string) => BackoffPolicy;
  breaker?: BreakerPolicy;
  clock?: Clock;
  random?: () => number;
  /** Samples the machine for health and resource pressure; without it, only failures degrade the run. */
  sampleSystem?: () => SystemSample;
  signal: AbortSignal;
  reporter: RunReporter;
  /** Where interrupted tasks pick up: the merge queue, the checks, or the agent with its work kept. */
  resume?: Map<string, ResumePoint>;
  /** Pairs of tasks whose `files` overlap: never running at the same time (conflict-aware scheduling). */
  keptApart?: [string, string][];
  /** Adjust the concurrency between bounds from CPU, memory and throughput (cairn run --auto-tune). */
  autoTune?: { min: number; max: number; windowMs: number; cpuBusy?: () => number; memFree?: () => number };
  /** The reason of a BLOCKER_ALERT raised for the task since `since` (epoch ms), if any. */
  blockerOf?: (task: string, since: number) => string | undefined;
  /** How often a running task's blockers are looked for (default blocker-watch.ts). */
  blockerPollMs?: number;
}

export interface LoopResult {
  states: Map<string, TaskState>;
  interrupted: boolean;
}

/**
 * Drives a milestone's DAG: starts ready tasks up to the concurrency, retries failed
 * attempts, feeds checked heads to a one-at-a-time merge queue, and journals every change.
 */
export async function runLoop(options: LoopOptions): Promise<LoopResult> {
  const { milestone, store, executor, reporter, signal } = options;
  // Appends made together go in one transaction; an agent starts once its start is journaled.
  const { append, batch, afterAppend } = createJournalBatch(store);
  const gated: TaskExecutor = {
    attempt: (task, attempt, hooks) => afterAppend(() => executor.attempt(task, attempt, hooks)),
    merge: (task, head) => executor.merge(task, head),
    logFile: (task, attempt) => executor.logFile(task, attempt),
  };
  const byId = new Map(options.tasks.map((task) => [task.id, task]));
  const rows = new Map(store.taskStates(milestone).map((row) => [row.id, row]));
  const states = new Map(options.tasks.map((task) => [task.id, rows.get(task.id)?.state ?? 'pending']));
  const attempts = new Map(options.tasks.map((task) => [task.id, rows.get(task.id)?.attempts ?? 0]));
  const chains = new Map(options.tasks.map((task) => [task.id, options.agentsOf(task)]));
  const clock = options.clock ?? systemClock;
  const breakers = new Map<string, Breaker>();
  const breakerPolicy = options.breaker ?? DEFAULT_BREAKER;
  // Per-profile limits and fallbacks when a profile is full or its circuit open (rebalancer.ts).
  const rebalancer = createRebalancer({
    chains,
    ...(options.limitOf ? { limitOf: options.limitOf } : {}),
    breakers,
    policy: breakerPolicy,
    clock,
    onFree: () => start(),
  });
  const schedule = createSchedule(
    options.tasks,
    states,
    remainingCriticality(options.tasks, states),
    rebalancer?.laneOf,
  );
  const running = new Map<string, Promise<void>>();
  const apart = new Map<string, string[]>();
  for (const [a, b] of options.keptApart ?? []) {
    apart.set(a, [...(apart.get(a) ?? []), b]);
    apart.set(b, [...(apart.get(b) ?? []), a]);
  }
  // Until a task is merged (or given up), tasks whose scopes overlap its own wait; `taking` holds
  // the tasks chosen in the same round, which are not running yet.
  const taking = new Set<string>();
  const clearOfOverlaps =
    apart.size === 0
      ? undefined
      : (id: string) => {
          if ((apart.get(id) ?? []).some((other) => running.has(other) || taking.has(other))) return false;
          taking.add(id);
          return true;
        };
  // The profile a task's latest attempt used, for reports; its own profile until then.
  const currentAgent = new Map(
    options.tasks.map((task) => [task.id, rows.get(task.id)?.agent ?? chains.get(task.id)?.[0] ?? '']),
  );
  const agentOf = (id: string) => currentAgent.get(id) ?? '';
  const health = createRunHealth({
    store: { ...store, append },
    milestone,
    run: options.run,
    reporter,
    clock,
    ...(options.sampleSystem ? { sampleSystem: options.sampleSystem } : {}),
  });
  let mergeQueue: Promise<unknown> = Promise.resolve();

  const journal = (
    events: CairnEvent[],
    id: string,
    state: TaskState,
    extra: { reason?: string; commit?: string } = {},
  ) => {
    append(events);
    states.set(id, state);
    reporter.onTaskState({
      task: id,
      state,
      agent: agentOf(id),
      attempt: attempts.get(id) ?? 0,
      ...extra,
    });
  };
  const setState = (id: string, state: TaskState, reason?: string) =>
    journal(
      [{ type: 'task.state', milestone, task: id, state, ...(reason ? { reason } : {}) }],
      id,
      state,
      reason ? { reason } : {},
    );
  const readyEvents = (ids: string[]): CairnEvent[] =>
    ids.map((task) => ({ type: 'task.state', milestone, task, state: 'ready' }));
  // When each task last became ready (or its previous attempt ended): its queue wait starts there.
  const waitingSince = new Map<string, number>();
  const reportReady = (ids: string[]) => {
    for (const id of ids) waitingSince.set(id, clock.now());
    for (const id of ids) {
      states.set(id, 'ready');
      reporter.onTaskState({ task: id, state: 'ready', agent: agentOf(id), attempt: attempts.get(id) ?? 0 });
    }
  };
  const markReady = (ids: string[]) => {
    if (ids.length === 0) return;
    append(readyEvents(ids));
    reportReady(ids);
  };
  const strand = (id: string) => {
    const reason = `dependency ${id} is ${states.get(id)}`;
    for (const next of schedule.strand(id)) {
      journal(
        [{ type: 'task.state', milestone, task: next, state: 'blocked', reason, blockedBy: id }],
        next,
        'blocked',
        {
          reason,
        },
      );
    }
  };

  const enqueueMerge = (task: TaskSpec, head: string) => {
    const queued = clock.now();
    const timing = { waitMs: 0, mergeMs: 0 };
    const result = mergeQueue.then(async () => {
      const started = clock.now();
      timing.waitMs = Math.round(started - queued);
      try {
        return await executor.merge(task, head);
      } finally {
        timing.mergeMs = Math.round(clock.now() - started);
      }
    });
    mergeQueue = result.catch(() => undefined);
    return result.then((merged) => ({ merged, timing }));
  };

  const mergeAndFinish = async (task: TaskSpec, head: string, carried: CairnEvent[] = []) => {
    journal(
      [...carried, { type: 'task.state', milestone, task: task.id, state: 'merging' }],
      task.id,
      'merging',
    );
    const { merged, timing } = await enqueueMerge(task, head);
    if (merged.kind === 'merged') {
      // The merge, the tasks it releases and the starts that take its slot are one transaction:
      // fewer commits on the hot path.
      batch(() => {
        const released = schedule.finish(task.id);
        journal(
          [
            {
              type: 'task.merged',
              milestone,
              task: task.id,
              commit: merged.commit,
              head: merged.head,
              mergeWaitMs: timing.waitMs,
              mergeMs: timing.mergeMs,
            },
            ...readyEvents(released),
          ],
          task.id,
          'done',
          { commit: merged.commit },
        );
        reportReady(released);
        release(task.id);
      });
    } else {
      setState(task.id, 'blocked', merged.reason);
      strand(task.id);
    }
  };

  const work = async (task: TaskSpec, first = 0) => {
    const resume = options.resume?.get(task.id);
    if (resume?.kind === 'merge') return mergeAndFinish(task, resume.head);
    const agents = chains.get(task.id) ?? [];
    const carried: CairnEvent[] = [];
    const since = Date.now();
    // A blocker stops the running agent at once, through the task's own abort signal.
    const watch = options.blockerOf
      ? watchBlocker(() => options.blockerOf!(task.id, since), signal, options.blockerPollMs)
      : undefined;
    const blocker = () => watch?.blocked();
    const taskSignal = watch?.signal ?? signal;
    const last = await runAttempts(task, {
      executor: gated,
      signal: taskSignal,
      clock,
      random: options.random ?? Math.random,
      agents,
      retriesOf: (agent) => options.retriesOf(task, agent),
      backoffOf: (agent) => options.backoffOf(task, agent),
      breakers,
      breakerPolicy,
      start: resume?.kind ?? 'fresh',
      first,
      ...(rebalancer ? { claim: (agent: string) => rebalancer.claim(task.id, agent, taskSignal) } : {}),
      begin: (agent) => {
        const attempt = (attempts.get(task.id) ?? 0) + 1;
        attempts.set(task.id, attempt);
        currentAgent.set(task.id, agent);
        const logFile = executor.logFile(task, attempt);
        const since = waitingSince.get(task.id);
        const queuedMs = since === undefined ? undefined : Math.round(clock.now() - since);
        journal(
          [
            {
              type: 'attempt.started',
              milestone,
              task: task.id,
              run: options.run,
              attempt,
              agent,
              logFile,
              ...(queuedMs === undefined ? {} : { queuedMs }),
            },
          ],
          task.id,
          'running',
        );
        return attempt;
      },
      // A success is journaled with the move to the merge queue that follows it at once.
      end: (attempt, ended) => {
        const stoppedBy = ended.outcome === 'interrupted' ? blocker() : undefined;
        const result =
          stoppedBy === undefined ? ended : { ...ended, reason: `stopped by a blocker: ${stoppedBy}` };
        waitingSince.set(task.id, clock.now());
        const event = attemptEnded(milestone, task.id, attempt, result);
        health.recordAttempt(result);
        if (result.outcome === 'succeeded') carried.push(event);
        else append(event);
      },
      hooks: (attempt) => ({
        ...(watch ? { signal: taskSignal } : {}),
        onPid: (pid) => append({ type: 'attempt.pid', milestone, task: task.id, attempt, pid }),
        onCommitted: (head) => append({ type: 'attempt.checking', milestone, task: task.id, attempt, head }),
      }),
      notice: (message) => reporter.onNotice(message),
      halted: () => blocker() !== undefined,
    }).finally(() => {
      watch?.stop();
      rebalancer?.release(task.id);
    });
    const blocked = blocker();
    if (blocked !== undefined) {
      // The agent said it cannot go on: the task stops blocked, whatever its attempt produced.
      const reason = `blocker: ${blocked}`;
      journal(
        [...carried, { type: 'task.state', milestone, task: task.id, state: 'blocked', reason }],
        task.id,
        'blocked',
        { reason },
      );
      return strand(task.id);
    }
    if (last.outcome === 'interrupted') return setState(task.id, 'pending', 'interrupted');
    if (last.outcome === 'blocked') {
      setState(task.id, 'blocked', last.reason);
      return strand(task.id);
    }
    if (last.outcome === 'failed') {
      setState(task.id, 'failed', last.reason);
      return strand(task.id);
    }
    return mergeAndFinish(task, last.head, carried);
  };

  let limit = options.concurrency;
  let finishedInWindow = 0;
  const tuner = options.autoTune ? startTuner(options.autoTune) : undefined;
  // Every window, additive increase or multiplicative decrease of the concurrency (auto-tune.ts).
  function startTuner(tune: NonNullable<LoopOptions['autoTune']>) {
    const busy = tune.cpuBusy ?? cpuMeter();
    const mem = tune.memFree ?? memFree;
    let previous: TunePrevious | undefined;
    let slowStart = true;
    let windowStart = clock.now();
    limit = Math.min(tune.max, Math.max(tune.min, limit));
    const timer = setInterval(() => {
      const minutes = Math.max(1, clock.now() - windowStart) / 60_000;
      const sample = {
        cpuBusy: busy(),
        memFree: mem(),
        throughput: finishedInWindow / minutes,
        finished: finishedInWindow,
        waiting: schedule.readyCount(),
      };
      finishedInWindow = 0;
      windowStart = clock.now();
      const decision = decideConcurrency(limit, sample, previous, tune, slowStart);
      if (decision && decision.to < limit) slowStart = false;
      previous = { concurrency: limit, throughput: sample.throughput, finished: sample.finished };
      if (!decision) return;
      append({
        type: 'run.tuned',
        milestone,
        run: options.run,
        from: limit,
        to: decision.to,
        why: decision.why,
      });
      reporter.onNotice(`concurrency ${limit} -> ${decision.to}: ${decision.why}`);
      limit = decision.to;
      start();
    }, tune.windowMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  // Where each task taken this round starts; its profile slot is taken as it is chosen.
  const placed = new Map<string, Placement>();
  const canStart =
    rebalancer || clearOfOverlaps
      ? (id: string): StartVerdict => {
          // A task resumed into the merge queue runs no agent, so it takes no profile slot.
          const placing = rebalancer !== undefined && options.resume?.get(id)?.kind !== 'merge';
          const placement = placing ? rebalancer.place(id) : undefined;
          if (placing && !placement) return 'lane';
          if (clearOfOverlaps && !clearOfOverlaps(id)) return false;
          if (placement) {
            rebalancer?.hold(id, placement.agent);
            placed.set(id, placement);
          }
          return true;
        }
      : undefined;

  // Starts as many ready tasks as there are free slots, their starts journaled together.
  const start = () => batch(startReady);
  const startReady = () => {
    health.checkSystem();
    const free = concurrencyAt(health.level(), limit) - running.size;
    if (free <= 0 || signal.aborted) return;
    taking.clear();
    placed.clear();
    for (const id of schedule.take(free, canStart)) {
      const task = byId.get(id)!;
      const placement = placed.get(id);
      if (placement?.moved) {
        const { from, why } = placement.moved;
        append({ type: 'task.rebalanced', milestone, task: id, from, to: placement.agent, why });
        reporter.onNotice(describeMove(id, placement));
      }
      const promise = work(task, placement?.index)
        .catch((error: unknown) => {
          // A fault in one task (git refusing, disk trouble) fails that task, not the run.
          const message = error instanceof Error ? error.message : String(error);
          reporter.onNotice(`${id}: ${message}`);
          try {
            setState(id, 'failed', `internal error: ${message.split('\n')[0]}`);
            strand(id);
          } catch (journalError) {
            // Not even that can be journaled (a full disk): the run stops with the error, below.
            runFault ??= { error: journalError };
          }
        })
        .finally(() => {
          if (running.delete(id)) finishedInWindow++;
        });
      running.set(id, promise);
    }
  };
  // A merged task gives its slot back at once, so the tasks started in its place share its
  // transaction. A fault in starting them is the run's, not the merged task's: it is raised below,
  // as is a journal that cannot record a task's failure.
  let runFault: { error: unknown } | undefined;
  const release = (id: string) => {
    if (running.delete(id)) finishedInWindow++;
    try {
      start();
    } catch (error) {
      runFault ??= { error };
    }
  };

  // Tasks still failed or blocked from an earlier run wait for a person (cairn retry|skip|unblock);
  // what depends on them cannot start.
  for (const task of options.tasks) {
    const state = states.get(task.id);
    if (state === 'failed' || state === 'blocked') strand(task.id);
  }
  batch(() => {
    markReady(
      options.tasks
        .filter((task) => states.get(task.id) === 'pending' && isReadyNow(task, states))
        .map((t) => t.id),
    );
    start();
  });
  while (running.size > 0 && !runFault) {
    await Promise.race(running.values());
    start();
  }
  tuner?.stop();
  if (runFault) throw runFault.error;
  await executor.settle?.();
  if (health.level() === 'manual' && schedule.readyCount() > 0 && !signal.aborted) {
    reporter.onNotice('stopped starting tasks (level manual); fix the cause, then run again to continue');
  }
  return { states, interrupted: signal.aborted };
}

function isReadyNow(task: TaskSpec, states: Map<string, TaskState>): boolean {
  return task.depends_on.every((dep) => states.get(dep) === 'done' || states.get(dep) === 'skipped');
}
