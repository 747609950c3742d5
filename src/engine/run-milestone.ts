import { cpus, hostname } from 'node:os';
import { commitIdentityEnv } from '../git/identity.js';
import { ensureBranch } from '../git/refs.js';
import { resolveRepo } from '../git/repo.js';
import { openCoordination } from '../bus/coordination.js';
import { slugify, resolveWorkspace } from '../spec/index.js';
import { tasksKeptApart } from './hot-history.js';
import type { MilestoneState, TaskState } from '../store/events.js';
import type { TaskRow } from '../store/types.js';
import { InputError } from '../shared/errors.js';
import { startLauncher, stopLauncher } from '../shared/launcher.js';
import { newRunId, takeLease } from './lease.js';
import { createGitExecutor } from './git-executor.js';
import { loadMilestone } from './load.js';
import { milestoneBranch, stateDbFile } from './names.js';
import { openStore } from './open-store.js';
import { preflight, profilesInUse } from './preflight.js';
import { finishedWorkOnBranches, mergedTasksOnBranch, reconcileWithGit } from './reconcile.js';
import { planMilestone } from './plan-milestone.js';
import { stopStrayAgents, waitForOrphanGit } from './strays.js';
import { removeFinishedWorktrees } from './tidy-worktrees.js';
import type { RunReporter } from './reporter.js';
import { agentChainOf, settingsFor, type RunContext } from './run-context.js';
import { runLoop } from './run-loop.js';
import { sampleSystem } from './health.js';
import { createCheckpointer } from './checkpoints/checkpointer.js';
import { progressJournal } from './progress.js';
import { checkWorkspace } from './workspace/check-workspace.js';
import { createWorkspaceRuntime } from './workspace/runtime.js';
import { createPusher } from './remote.js';
import { defaultMaxConcurrency } from './auto-tune.js';

export interface RunOptions {
  cwd: string;
  milestone: string;
  concurrency?: number;
  /** Run finished tasks again whose definition changed since they were done. */
  rerunChanged?: boolean;
  /** Run tasks whose `files` overlap at the same time (conflict-aware scheduling off). */
  allowOverlap?: boolean;
  /** Adjust the concurrency during the run (AIMD on CPU, memory and throughput), up to `max`. */
  autoTune?: { max?: number; windowMs?: number };
  reporter: RunReporter;
  signal: AbortSignal;
  graceMs?: number;
}

export interface RunSummary {
  milestone: { id: string; title: string; branch: string; state: MilestoneState };
  tasks: TaskRow[];
  interrupted: boolean;
}

function finalState(states: Map<string, TaskState>, interrupted: boolean): MilestoneState {
  if (interrupted) return 'interrupted';
  return [...states.values()].every((state) => state === 'done' || state === 'skipped') ? 'done' : 'failed';
}

/** `cairn run`: everything from preflight to the last merge, journaled, resumable. */
export async function runMilestone(options: RunOptions): Promise<RunSummary> {
  const repo = await resolveRepo(options.cwd);
  const loaded = loadMilestone(repo.root, options.milestone, options.cwd);
  const { spec, config, profiles } = loaded;
  await preflight(repo.root, spec, profilesInUse(spec, profiles, config.defaults.agent));
  const workspace = resolveWorkspace(spec.workspace, config.workspace);
  await checkWorkspace(repo.root, workspace, spec.file);
  const store = openStore(repo);
  const run = newRunId();
  // A run starts thousands of git commands: a small helper process starts them (docs/perf.md).
  startLauncher();
  try {
    const release = takeLease(store, spec.id, run, options.reporter);
    try {
      const known = store.milestone(spec.id);
      if (known?.state === 'landed') {
        throw new InputError(
          'E_LANDED',
          `milestone ${spec.id} has already landed (${known.landed_commit?.slice(0, 12) ?? ''})`,
          {
            hint: 'Plan further work as a new milestone: cairn new "<title>"',
          },
        );
      }
      const branch = known?.branch ?? milestoneBranch(spec.id, slugify(spec.title));
      planMilestone(store, loaded, branch, options.rerunChanged === true, options.reporter);
      const { head, created } = await ensureBranch(repo.root, branch, spec.base);
      if (created) store.append({ type: 'milestone.branched', milestone: spec.id, branch, start: head });
      const since = created ? head : (known?.start_commit ?? spec.base);
      // Agents an earlier run left behind must stop before their worktrees are judged.
      await stopStrayAgents(repo.stateDir, spec.id, run, options.reporter);
      await waitForOrphanGit(repo.stateDir, spec.id);
      // Independent reads of git side by side: a resume waits for them before the first agent.
      const [merged, finishedWork] = await Promise.all([
        mergedTasksOnBranch(repo.root, spec.id, branch, since),
        finishedWorkOnBranches(repo.root, spec.id, store.tasks(spec.id)),
      ]);
      const { notices, resume } = reconcileWithGit(store, spec.id, merged, finishedWork);
      // Started now, awaited where needed; a failure surfaces there, not as an unhandled rejection.
      const identity = commitIdentityEnv(repo.root);
      const apart = options.allowOverlap ? undefined : tasksKeptApart(repo, spec.tasks, spec.base, store);
      for (const pending of [identity, apart]) pending?.catch(() => undefined);
      await removeFinishedWorktrees({ repo, spec }, store);
      notices.forEach((notice) => options.reporter.onNotice(notice));
      // Auto-tune without a starting point starts at one agent per CPU.
      const concurrency =
        options.concurrency ??
        (options.autoTune
          ? Math.min(defaultMaxConcurrency(), cpus().length || 1)
          : config.defaults.concurrency);
      store.append({
        type: 'run.started',
        milestone: spec.id,
        run,
        pid: process.pid,
        host: hostname(),
        concurrency,
      });
      const context: RunContext = {
        repo,
        spec,
        config,
        profiles,
        store,
        run,
        branch,
        commitEnv: await identity,
        graceMs: options.graceMs ?? 5_000,
        signal: options.signal,
      };
      const runtime = createWorkspaceRuntime({
        settings: workspace,
        root: repo.root,
        stateDir: repo.stateDir,
        notice: (message) => options.reporter.onNotice(message),
      });
      if (runtime) context.workspace = runtime;
      context.monitor = { scopes: new Map(), unavailable: onceNotice(options.reporter) };
      const checkpoints = createCheckpointer({
        repo,
        store,
        milestone: spec.id,
        branch,
        onNotice: (message) => options.reporter.onNotice(message),
      });
      const snapshots = progressJournal(repo, store, spec.id);
      const pusher = config.remote
        ? createPusher({
            root: repo.root,
            remote: config.remote,
            branch,
            env: context.commitEnv,
            onNotice: (message) => options.reporter.onNotice(message),
          })
        : undefined;
      // Blockers agents raise (cairn msg send … --type BLOCKER_ALERT) stop their task's agent at once.
      const coordination = openCoordination(stateDbFile(repo.stateDir));
      const result = await runLoop({
        milestone: spec.id,
        run,
        tasks: spec.tasks,
        store: pusher ? pusher.watch(checkpoints.watch(store)) : checkpoints.watch(store),
        executor: createGitExecutor(context, { current: head }),
        concurrency,
        agentsOf: (task) => agentChainOf(context, task),
        limitOf: (agent) => context.profiles[agent]?.maxConcurrency,
        retriesOf: (task, agent) => settingsFor(context, task, agent).retries,
        backoffOf: (task, agent) => settingsFor(context, task, agent).backoff,
        signal: options.signal,
        reporter: options.reporter,
        sampleSystem: () => sampleSystem(repo.stateDir),
        resume,
        ...(apart ? { keptApart: (await apart).map((pair) => pair.tasks) } : {}),
        ...(options.autoTune
          ? {
              autoTune: {
                min: 1,
                max: options.autoTune.max ?? defaultMaxConcurrency(),
                windowMs: options.autoTune.windowMs ?? 5_000,
              },
            }
          : {}),
        blockerOf: (task, since) => coordination.alerts.blockerSince(spec.id, task, since),
      }).finally(() => coordination.close());
      if (result.interrupted) checkpoints.take('interrupted');
      await checkpoints.flush();
      await snapshots.stop();
      await pusher?.flush();
      const state = finalState(result.states, result.interrupted);
      store.append({ type: 'run.ended', milestone: spec.id, run, state });
      return {
        milestone: { id: spec.id, title: spec.title, branch, state },
        tasks: store.tasks(spec.id).filter((task) => result.states.has(task.id)),
        interrupted: result.interrupted,
      };
    } finally {
      release();
    }
  } finally {
    store.close();
    await stopLauncher();
  }
}

/** The file monitor's trouble is said once per run, not once per attempt. */
function onceNotice(reporter: RunReporter): (reason: string) => void {
  let said = false;
  return (reason) => {
    if (said) return;
    said = true;
    reporter.onNotice(
      `file monitor unavailable (${reason}); stalls are noticed by reading the worktrees instead`,
    );
  };
}
