import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildPrompt, type DependencySummary } from '../agents/prompt.js';
import { expandCommand } from '../agents/profiles.js';
import { runSupervised } from '../agents/host.js';
import { git } from '../git/git.js';
import { isAncestor } from '../git/refs.js';
import { commitAll } from '../git/commit.js';
import { readStatus, diffNames, type FileChange } from '../git/status.js';
import { openBranchWorktree } from '../git/worktree.js';
import { matchesAnyGlob } from '../spec/index.js';
import type { TaskSpec } from '../spec/types.js';
import type { AttemptResult } from './attempt-types.js';
import { describeEnd, runChecks } from './checks.js';
import { taskCommitMessage } from './messages.js';
import { attemptLog, attemptPromptFile, taskBranch, taskWorktree } from './names.js';
import { profileOf, timeoutOf, type RunContext } from './run-context.js';

/** Files a task's dependencies changed, read from their merge commits. */
async function summarizeDependencies(context: RunContext, task: TaskSpec): Promise<DependencySummary[]> {
  if (task.depends_on.length === 0) return [];
  const rows = new Map(context.store.tasks(context.spec.id).map((row) => [row.id, row]));
  const summaries: DependencySummary[] = [];
  for (const id of task.depends_on) {
    const row = rows.get(id);
    if (!row?.merge_commit) continue;
    const out = await git(context.repo.root, [
      'diff',
      '--name-only',
      `${row.merge_commit}^1`,
      row.merge_commit,
    ]);
    summaries.push({
      id,
      title: row.title,
      mergeCommit: row.merge_commit,
      files: out.split('\n').filter(Boolean),
    });
  }
  return summaries;
}

/** A fresh worktree on the task branch: new from the milestone head, or the branch as it stands. */
async function prepareWorktree(context: RunContext, task: TaskSpec, milestoneHead: string) {
  const dir = taskWorktree(context.repo.stateDir, context.spec.id, task.id);
  const branch = taskBranch(context.spec.id, task.id);
  const start = await openBranchWorktree(context.repo.root, dir, branch, milestoneHead);
  return { dir, branch, start };
}

function agentEnv(context: RunContext, task: TaskSpec, attempt: number, promptFile: string, agent: string) {
  return {
    ...process.env,
    CAIRN_MILESTONE: context.spec.id,
    CAIRN_TASK: task.id,
    CAIRN_ATTEMPT: String(attempt),
    CAIRN_SESSION: context.run,
    CAIRN_AGENT: agent,
    CAIRN_PROMPT_FILE: promptFile,
    CAIRN_HOME: context.repo.stateDir,
  };
}

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

/** One attempt of one task, from worktree to checked commit. */
export async function runTaskAttempt(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  milestoneHead: string,
  previousFailure: string | undefined,
  onPid: (pid: number) => void,
): Promise<AttemptResult> {
  const profile = profileOf(context, task);
  const { dir, branch, start } = await prepareWorktree(context, task, milestoneHead);
  const logFile = attemptLog(context.repo.stateDir, context.run, task.id, attempt);
  const promptFile = attemptPromptFile(context.repo.stateDir, context.run, task.id, attempt);
  const prompt = buildPrompt({
    milestone: { id: context.spec.id, title: context.spec.title, branch: context.branch },
    task,
    dependencies: await summarizeDependencies(context, task),
    attempt,
    ...(previousFailure ? { previousFailure } : {}),
  });
  mkdirSync(path.dirname(promptFile), { recursive: true });
  writeFileSync(promptFile, prompt);
  const argv = expandCommand(profile.command, {
    prompt,
    prompt_file: promptFile,
    task: task.id,
    milestone: context.spec.id,
    worktree: dir,
  });
  const env = { ...agentEnv(context, task, attempt, promptFile, profile.name), ...profile.env };
  const timeoutMs = timeoutOf(context, task);
  const end = await runSupervised({
    argv,
    cwd: dir,
    env,
    logFile,
    timeoutMs,
    graceMs: context.graceMs,
    signal: context.signal,
    onStart: onPid,
  });
  if (end.kind === 'aborted') return { outcome: 'interrupted', reason: 'the run was interrupted' };
  if (end.kind !== 'exited' || end.code !== 0) {
    return failed(
      `agent ${profile.name} ${describeEnd(end, timeoutMs)}`,
      end.kind === 'exited' ? end.code : null,
      end.kind === 'signaled' ? end.signal : null,
    );
  }

  // An agent may have wrecked its worktree (deleted it, broken .git): that fails the attempt, not the run.
  const status = await readStatus(dir).catch((error: unknown) => error as Error);
  if (status instanceof Error) {
    return failed(`the worktree could not be read after the agent exited: ${status.message.split('\n')[0]}`);
  }
  if (status.branch !== branch) {
    const where = status.branch ? `branch ${status.branch}` : 'a detached HEAD';
    return failed(
      `agent switched its worktree from ${branch} to ${where}; work must stay on the task branch`,
    );
  }
  const committed = status.head && status.head !== start ? await diffNames(dir, start, status.head) : [];
  const outside = deletionsOutsideScope(task, [...committed, ...status.changes]);
  if (outside.length > 0) {
    return failed(
      `agent deleted files outside the task's scope (${task.files.join(', ')}): ${outside.join(', ')}`,
    );
  }
  const message = taskCommitMessage(
    { milestoneId: context.spec.id, run: context.run, task, agent: profile },
    status.changes,
  );
  const head =
    status.changes.length > 0 ? await commitAll(dir, message, context.commitEnv) : (status.head ?? start);
  if (head === start && (await isAncestor(dir, head, milestoneHead))) {
    return failed(`agent ${profile.name} exited 0 but changed nothing`, 0);
  }
  const checks = await runChecks({
    commands: task.acceptance,
    cwd: dir,
    env,
    logFile,
    timeoutMs,
    graceMs: context.graceMs,
    signal: context.signal,
    label: 'acceptance',
  });
  if (!checks.ok) {
    return checks.aborted
      ? { outcome: 'interrupted', reason: checks.reason }
      : { ...failed(checks.reason), head };
  }
  return { outcome: 'succeeded', head };
}
