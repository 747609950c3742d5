import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildPrompt } from '../agents/prompt.js';
import { expandCommand } from '../agents/profiles.js';
import { runSupervised, type ProcessEnd } from '../agents/host.js';
import { tryGit } from '../git/git.js';
import { isAncestor } from '../git/refs.js';
import { commitAll, commitStaged, stageAll } from '../git/commit.js';
import { readWorktreeHead } from '../git/worktree-head.js';
import { readStatus, diffNames, type FileChange } from '../git/status.js';
import { openBranchWorktree } from '../git/worktree.js';
import { DEFAULT_COMMIT_EVERY_MS, matchesAnyGlob } from '../spec/index.js';
import type { TaskSpec } from '../spec/types.js';
import type { AttemptHooks, AttemptPhases, AttemptResult } from './attempt-types.js';
import { summarizeDependencies } from './dependency-summary.js';
import { taskEnv } from './task-env.js';
import { readPromptContext } from './prompt-context.js';
import { describeEnd, runChecks, type CheckResult } from './checks.js';
import { taskCommitMessage } from './messages.js';
import { startWipCommits } from './wip-commits.js';
import { startTaskMonitor, type TaskMonitor } from './task-monitor.js';
import { attemptLog, taskBranch, taskWorktree } from './names.js';
import { dependentsIn, profileNamed, settingsFor, type RunContext } from './run-context.js';
import { runTaskPhases, type PhaseLaunch } from './phases.js';
import { prepareWorkspace } from './workspace/prepare.js';
import { holdingPorts } from './workspace/task-ports.js';

/** Deleted paths outside the task's declared scope; no scope declared means no limit. */
function deletionsOutsideScope(task: TaskSpec, changes: FileChange[]): string[] {
  if (task.files.length === 0) return [];
  return changes
    .filter((c) => c.kind === 'deleted' && !matchesAnyGlob(c.path, task.files))
    .map((c) => c.path);
}

type FailedAttempt = Extract<AttemptResult, { outcome: 'failed' }>;

const failed = (
  reason: string,
  exitCode: number | null = null,
  signal: string | null = null,
): FailedAttempt => ({
  outcome: 'failed',
  reason,
  exitCode,
  signal,
});

/** A worktree on the task branch; an interrupted attempt's leftovers are kept in a checkpoint commit. */
async function prepareWorktree(
  context: RunContext,
  task: TaskSpec,
  milestoneHead: string,
  hooks: AttemptHooks,
) {
  const dir = taskWorktree(context.repo.stateDir, context.spec.id, task.id);
  const branch = taskBranch(context.spec.id, task.id);
  const keep = hooks.start !== 'fresh';
  const opened = await openBranchWorktree(context.repo.root, dir, branch, milestoneHead, keep);
  if (!opened.reused) return { dir, branch, start: opened.start, kept: undefined };
  const status = await readStatus(dir);
  if (status.changes.length === 0) return { dir, branch, start: opened.start, kept: undefined };
  const message = checkpointMessage(context, task, hooks.agent, status.changes);
  const kept = await commitAll(dir, message, context.commitEnv);
  return { dir, branch, start: kept, kept };
}

function checkpointMessage(
  context: RunContext,
  task: TaskSpec,
  agent: string,
  changes: FileChange[],
): string {
  const profile = profileNamed(context, agent);
  return taskCommitMessage(
    {
      milestoneId: context.spec.id,
      run: context.run,
      task: { ...task, title: `${task.title} (work kept from an interrupted attempt)` },
      agent: profile,
    },
    changes,
    'partial',
  );
}

/**
 * Runs the agent (or, with `phase`, one phase's agent); returns undefined when it exited 0, or
 * how the attempt ended otherwise.
 */
async function runAgent(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  dir: string,
  hooks: AttemptHooks,
  kept: string | undefined,
  monitor: TaskMonitor | undefined,
  phase?: PhaseLaunch,
): Promise<AttemptResult | undefined> {
  const { profile, timeoutMs, stallMs } = settingsFor(context, task, hooks.agent);
  const env = { ...taskEnv(context, task, attempt, hooks.agent), ...phase?.env };
  const promptFile = env.CAIRN_PROMPT_FILE ?? '';
  const prompt = buildPrompt({
    milestone: { id: context.spec.id, title: context.spec.title, branch: context.branch },
    task,
    dependencies: await summarizeDependencies(context, task),
    attempt,
    ...(hooks.previousFailure ? { previousFailure: hooks.previousFailure } : {}),
    ...(kept ? { keptWork: kept } : {}),
    context: readPromptContext(context.repo.stateDir, context.spec.id, task),
    ...(phase ? { phase: phase.phase } : {}),
  });
  await mkdir(path.dirname(promptFile), { recursive: true });
  await writeFile(promptFile, prompt);
  const argv = expandCommand(profile.command, {
    prompt,
    prompt_file: promptFile,
    task: task.id,
    milestone: context.spec.id,
    worktree: dir,
  });
  const wip =
    task.commit === 'progressive' || task.commit === 'checkpoint'
      ? startWipCommits({
          strategy: task.commit,
          everyMs: task.commitEveryMs ?? DEFAULT_COMMIT_EVERY_MS,
          dir,
          milestoneId: context.spec.id,
          run: context.run,
          task,
          attempt,
          agent: profile,
          commitEnv: context.commitEnv,
          progressFile: env.CAIRN_PROGRESS_FILE ?? '',
          timeoutMs,
        })
      : undefined;
  let end: ProcessEnd;
  try {
    end = await runSupervised({
      argv,
      cwd: dir,
      env,
      logFile: attemptLog(context.repo.stateDir, context.run, task.id, attempt),
      timeoutMs,
      graceMs: context.graceMs,
      signal: context.signal,
      onStart: hooks.onPid,
      stallMs,
      activityDir: dir,
      ...(monitor ? { fileWatch: monitor } : {}),
    });
  } finally {
    // A commit in flight finishes before the worktree is judged.
    await wip?.stop();
  }
  if (end.kind === 'aborted') return { outcome: 'interrupted', reason: 'the run was interrupted' };
  if (end.kind === 'exited' && end.code === 0) return undefined;
  return failed(
    `agent ${profile.name} ${describeEnd(end, timeoutMs)}`,
    end.kind === 'exited' ? end.code : null,
    end.kind === 'signaled' ? end.signal : null,
  );
}

/** The setup phase: a new worktree made ready (copied files, cache or setup commands) before the agent. */
async function runSetup(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  dir: string,
  agent: string,
): Promise<AttemptResult | undefined> {
  const result = await setUpWorktree(context, task, attempt, dir, agent);
  if (result.ok) return undefined;
  return result.aborted ? { outcome: 'interrupted', reason: result.reason } : failed(result.reason);
}

function setUpWorktree(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  dir: string,
  agent: string,
  logReuse = true,
): Promise<CheckResult> {
  if (!context.workspace) return Promise.resolve({ ok: true });
  return prepareWorkspace({
    runtime: context.workspace,
    task: task.id,
    dir,
    env: taskEnv(context, task, attempt, agent),
    logFile: attemptLog(context.repo.stateDir, context.run, task.id, attempt),
    graceMs: context.graceMs,
    signal: context.signal,
    logReuse,
  }).catch((error: unknown) => ({
    ok: false as const,
    aborted: false,
    reason: `setup failed: ${firstLines(error instanceof Error ? error.message : String(error))}`,
  }));
}

/** One attempt of one task, from worktree to checked commit, holding the task's ports throughout. */
export async function runTaskAttempt(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  milestoneHead: string,
  hooks: AttemptHooks,
): Promise<AttemptResult> {
  const result = await holdingPorts(context.workspace, task.id, context.signal, () =>
    attemptWithPorts(context, task, attempt, milestoneHead, hooks),
  );
  return result === 'interrupted'
    ? { outcome: 'interrupted', reason: 'the run was interrupted while the task waited for ports' }
    : result;
}

async function attemptWithPorts(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  milestoneHead: string,
  hooks: AttemptHooks,
): Promise<AttemptResult> {
  const phases: AttemptPhases = {};
  let mark = performance.now();
  const lap = (phase: keyof AttemptPhases) => {
    const now = performance.now();
    phases[phase] = Math.round(now - mark);
    mark = now;
  };
  const result = await attemptPhases(context, task, attempt, milestoneHead, hooks, lap);
  return { ...result, phases };
}

async function attemptPhases(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  milestoneHead: string,
  hooks: AttemptHooks,
  lap: (phase: keyof AttemptPhases) => void,
): Promise<AttemptResult> {
  const profile = profileNamed(context, hooks.agent);
  const { dir, branch, start, kept } = await prepareWorktree(context, task, milestoneHead, hooks);
  const setupFailed = await runSetup(context, task, attempt, dir, hooks.agent);
  lap('setup');
  if (setupFailed) return setupFailed;
  let monitor: TaskMonitor | undefined;
  if (hooks.start !== 'check-only') {
    // One monitor for the whole agent part, every phase of a multi-phase task included.
    monitor = startTaskMonitor(context, task, attempt, dir, start);
    let ended: AttemptResult | undefined;
    try {
      ended = task.phases
        ? await runTaskPhases(context, task, attempt, dir, hooks, (phase) =>
            runAgent(context, task, attempt, dir, { ...hooks, agent: phase.agent }, kept, monitor, phase),
          )
        : await runAgent(context, task, attempt, dir, hooks, kept, monitor);
    } finally {
      await monitor?.stop();
    }
    lap('agent');
    if (ended) return ended;
  }

  // An agent may have wrecked its worktree (deleted it, broken .git): that fails the attempt, not the run.
  const where = readWorktreeHead(dir) ?? (await readStatus(dir).catch((error: unknown) => error as Error));
  if (where instanceof Error) {
    return failed(`the worktree could not be read after the agent exited: ${firstLines(where.message)}`);
  }
  if (where.branch !== branch) {
    const other = where.branch ? `branch ${where.branch}` : 'a detached HEAD';
    return failed(
      `agent switched its worktree from ${branch} to ${other}; work must stay on the task branch`,
    );
  }
  const staged = await stageAll(dir);
  const committed = where.head && where.head !== start ? await diffNames(dir, start, where.head) : [];
  await monitor?.account([...committed, ...staged].map((change) => change.path));
  const outside = deletionsOutsideScope(task, [...committed, ...staged]);
  if (outside.length > 0) {
    return failed(
      `agent deleted files outside the task's scope (${task.files.join(', ')}): ${outside.join(', ')}`,
    );
  }
  const message = taskCommitMessage(
    {
      milestoneId: context.spec.id,
      run: context.run,
      task,
      agent: profile,
      attempt,
      unblocks: dependentsIn(context, task),
    },
    staged,
    '100%',
    [...committed, ...staged],
  );
  // Progressive and checkpoint commits may have taken the agent's last change already: an empty
  // final commit still marks the work finished (Progress: 100%), as a resumed run looks for.
  const finalEmpty =
    staged.length === 0 &&
    where.head !== undefined &&
    where.head !== start &&
    task.commit !== undefined &&
    task.commit !== 'atomic' &&
    (await lastProgress(dir)) !== '100%';
  const head =
    staged.length > 0 || finalEmpty
      ? await commitStaged(dir, message, context.commitEnv, { allowEmpty: finalEmpty })
      : (where.head ?? start);
  if (head === start && (await isAncestor(dir, head, milestoneHead))) {
    return failed(`agent ${profile.name} exited 0 but changed nothing`, 0);
  }
  lap('commit');
  hooks.onCommitted(head);
  const checks = await runAcceptance(context, task, attempt, hooks.agent, dir, 'acceptance');
  lap('acceptance');
  if (checks.ok) return { outcome: 'succeeded', head };
  return checks.aborted
    ? { outcome: 'interrupted', reason: checks.reason, head }
    : { ...failed(checks.reason), head };
}

/** The task's acceptance commands in its worktree, with the attempt's environment, ports and log. */
export async function runAcceptance(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  agent: string,
  dir: string,
  label: string,
): Promise<CheckResult> {
  const result = await holdingPorts(context.workspace, task.id, context.signal, () =>
    checkAcceptance(context, task, attempt, agent, dir, label),
  );
  return result === 'interrupted'
    ? { ok: false, aborted: true, reason: 'the run was interrupted while the task waited for ports' }
    : result;
}

async function checkAcceptance(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  agent: string,
  dir: string,
  label: string,
): Promise<CheckResult> {
  // A worktree the merge queue re-created for a rebase has not been set up yet.
  const setup = await setUpWorktree(context, task, attempt, dir, agent, false);
  if (!setup.ok) return setup;
  return runChecks({
    commands: task.acceptance,
    cwd: dir,
    env: taskEnv(context, task, attempt, agent),
    logFile: attemptLog(context.repo.stateDir, context.run, task.id, attempt),
    timeoutMs: settingsFor(context, task, agent).timeoutMs,
    graceMs: context.graceMs,
    signal: context.signal,
    label,
  });
}

/** The `Progress:` trailer of the worktree's last commit ('' without one). */
async function lastProgress(dir: string): Promise<string> {
  const result = await tryGit(dir, ['log', '-1', '--format=%(trailers:key=Progress,valueonly,separator=)']);
  return result.code === 0 ? result.stdout.trim() : '';
}

/** The first lines of a multi-line error, joined, so a reason keeps git's own words. */
export function firstLines(message: string, count = 3): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, count)
    .join(' / ');
}
