import type { TaskSpec } from '../spec/types.js';
import type { CairnEvent, TaskState } from '../store/events.js';
import { StateWriteError } from '../store/open-checked.js';
import type { TaskExecutor } from './attempt-types.js';
import { runAttempts } from './attempt-sequence.js';
import { DEFAULT_BREAKER, type Breaker } from './circuit-breaker.js';
import { systemClock } from '../shared/clock.js';
import { concurrencyAt } from './degradation.js';
import { createRunHealth } from './run-health.js';
import { createSchedule } from './schedule.js';
import { remainingCriticality } from './priority.js';
import { watchBlocker } from './blocker-watch.js';
import { describeMove } from './rebalance.js';
import { createRebalancer } from './rebalancer.js';
import { startConcurrencyTuner } from './concurrency-tuner.js';
import { createOverlapGuard } from './overlap-guard.js';
import { createMergeQueue } from './merge-queue.js';
import { createStartGate } from './start-gate.js';
import { createJournalBatch } from './journal-batch.js';
import { attemptEnded } from './attempt-ended.js';
import type { LoopOptions, LoopResult } from './loop-options.js';

export type { LoopOptions, LoopResult } from './loop-options.js';

/**
 * Drives a milestone's DAG: starts ready tasks up to the concurrency (agents at work at once:
 * a task hands its slot on when it reaches the merge queue), retries failed attempts, feeds
 * checked heads to a one-at-a-time merge queue, and journals every change.
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
  const overlaps = createOverlapGuard(options.keptApart ?? [], (id) => running.has(id));
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
        { reason },
      );
    }
  };

  const enqueueMerge = createMergeQueue(clock, (task, head) => executor.merge(task, head));
  // Tasks in the merge queue: their agents are done, so their slots go to the next tasks while
  // the queue merges (a task stays in `running`, and so apart from tasks it overlaps, until then).
  // As many as the concurrency hand theirs on: beyond that, agents faster than the queue wait
  // for it rather than pile up worktrees in front of it.
  const merging = new Set<string>();

  const mergeAndFinish = async (task: TaskSpec, head: string, carried: CairnEvent[] = []) => {
    // The tasks that take the slot start in the transaction that hands this one to the queue.
    batch(() => {
      journal(
        [...carried, { type: 'task.state', milestone, task: task.id, state: 'merging' }],
        task.id,
        'merging',
      );
      merging.add(task.id);
      startMore();
    });
    const { merged, timing } = await enqueueMerge(task, head).finally(() => merging.delete(task.id));
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
    if (resume?.kind === 'merge') {
      // Not inside the startReady that started this task: merging hands its slot on at once.
      await Promise.resolve();
      return mergeAndFinish(task, resume.head);
    }
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

  const tuner = options.autoTune
    ? startConcurrencyTuner({
        tune: options.autoTune,
        initial: options.concurrency,
        clock,
        waiting: () => schedule.readyCount(),
        onChange: (from, to, why) => {
          append({ type: 'run.tuned', milestone, run: options.run, from, to, why });
          reporter.onNotice(`concurrency ${from} -> ${to}: ${why}`);
          start();
        },
      })
    : undefined;

  const gate = createStartGate(rebalancer, overlaps, (id) => options.resume?.get(id)?.kind === 'merge');

  // Starts as many ready tasks as there are free slots, their starts journaled together.
  const start = () => batch(startReady);
  const startReady = () => {
    health.checkSystem();
    const limit = concurrencyAt(health.level(), tuner?.limit() ?? options.concurrency);
    const free = limit - (running.size - Math.min(merging.size, limit));
    if (free <= 0 || signal.aborted) return;
    gate.newRound();
    for (const id of schedule.take(free, gate.canStart)) {
      const task = byId.get(id)!;
      const placement = gate.placement(id);
      if (placement?.moved) {
        const { from, why } = placement.moved;
        append({ type: 'task.rebalanced', milestone, task: id, from, to: placement.agent, why });
        reporter.onNotice(describeMove(id, placement));
      }
      const promise = work(task, placement?.index)
        .catch((error: unknown) => {
          // A journal that cannot be written (a full disk) stops the run; the task is not to blame.
          if (error instanceof StateWriteError) {
            runFault ??= { error };
            return;
          }
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
          if (running.delete(id)) tuner?.finished();
        });
      running.set(id, promise);
    }
  };
  // A merged task gives its slot back at once, so the tasks started in its place share its
  // transaction. A fault in starting them is the run's, not the merged task's: it is raised below,
  // as is a journal that cannot record a task's failure.
  let runFault: { error: unknown } | undefined;
  const startMore = () => {
    try {
      start();
    } catch (error) {
      runFault ??= { error };
    }
  };
  const release = (id: string) => {
    if (running.delete(id)) tuner?.finished();
    startMore();
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
