import { rmSync } from 'node:fs';
import path from 'node:path';
import { readTextIfAny } from '../shared/read-text.js';
import type { PhasePrompt } from '../agents/phase-prompt.js';
import { commitStaged, stageAll } from '../git/commit.js';
import { git } from '../git/git.js';
import { changedPaths, snapshotTree } from '../git/snapshot.js';
import { readStatus } from '../git/status.js';
import { readWorktreeHead } from '../git/worktree-head.js';
import { DEFAULT_MAX_REVIEW_ROUNDS } from '../spec/index.js';
import type { PhaseSpec, TaskSpec } from '../spec/types.js';
import type { CairnEvent, PhaseOutcome } from '../store/events.js';
import type { AttemptHooks, AttemptResult } from './attempt-types.js';
import { taskCommitMessage } from './messages.js';
import { attemptLog, phasePromptFile, REVIEW_FILE, taskBranch } from './names.js';
import { logSize, markPhase, readTail } from './phase-output.js';
import { runPhaseLoop, type PhaseTurn, type Rejection, type TurnEnd } from './phase-loop.js';
import { readVerdict } from './review-verdict.js';
import { profileNamed, type RunContext } from './run-context.js';

/** One phase's agent run: its profile, prompt section and environment. */
export interface PhaseLaunch {
  agent: string;
  phase: PhasePrompt;
  env: Record<string, string>;
}

/** Starts one phase's agent; undefined when it exited 0, else how the attempt ended. */
export type LaunchPhase = (launch: PhaseLaunch) => Promise<AttemptResult | undefined>;

const MAX_JOURNALED_FILES = 50;
const MAX_REASON_CHARS = 1000;

interface PhaseRun {
  context: RunContext;
  task: TaskSpec;
  attempt: number;
  dir: string;
  hooks: AttemptHooks;
  launch: LaunchPhase;
  /** The worktree's commit when the phases began: what a review diffs against. */
  base: string;
}

/**
 * The agent part of an attempt of a multi-phase task: each phase an agent of its own in the
 * same worktree, journaled as it starts and ends. Undefined when every phase is done (the
 * work is then committed and checked as for any task); `blocked` with the last review when
 * a review rejected the work more often than `max_review_rounds` allows.
 */
export async function runTaskPhases(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  dir: string,
  hooks: AttemptHooks,
  launch: LaunchPhase,
): Promise<AttemptResult | undefined> {
  const phases = task.phases ?? [];
  const maxRounds = task.maxReviewRounds ?? context.spec.maxReviewRounds ?? DEFAULT_MAX_REVIEW_ROUNDS;
  const base = readWorktreeHead(dir)?.head ?? (await git(dir, ['rev-parse', 'HEAD']));
  const run: PhaseRun = { context, task, attempt, dir, hooks, launch, base };
  const end = await runPhaseLoop(phases, maxRounds, (turn) => runPhase(run, turn));
  if (end.kind === 'finished') return undefined;
  if (end.kind === 'stopped') return end.result;
  const head = await keepRejectedWork(run);
  return { outcome: 'blocked', reason: blockedReason(end.rejection, end.rejections, maxRounds), ...head };
}

async function runPhase(run: PhaseRun, turn: PhaseTurn): Promise<TurnEnd> {
  const { context, task, attempt, dir } = run;
  const { phase, round } = turn;
  const agent = phase.agent ?? run.hooks.agent;
  const journal = journalOf(run, phase.name, agent, round);
  const logFile = attemptLog(context.repo.stateDir, context.run, task.id, attempt);
  const reviewFile = path.join(dir, REVIEW_FILE);
  context.store.append(journal.started);
  if (phase.review) rmSync(reviewFile, { force: true });
  const before = await snapshotTree(dir);
  markPhase(logFile, `phase ${phase.name}${round > 1 ? ` (round ${round})` : ''} with ${agent}`);
  const from = logSize(logFile);
  const promptFile = phasePromptFile(context.repo.stateDir, context.run, task.id, attempt, phase.name);
  const ended = await run.launch({
    agent,
    phase: promptOf(run, turn, phasesOf(run)),
    env: {
      CAIRN_PHASE: phase.name,
      CAIRN_PHASE_ROUND: String(round),
      CAIRN_PROMPT_FILE: promptFile,
      ...(phase.review ? { CAIRN_REVIEW_FILE: reviewFile } : {}),
    },
  });
  if (ended) {
    const outcome: PhaseOutcome = ended.outcome === 'interrupted' ? 'interrupted' : 'failed';
    context.store.append(journal.ended(outcome, 'reason' in ended ? ended.reason : undefined, []));
    return { kind: 'stopped', result: ended };
  }
  const tail = readTail(logFile, from);
  const written = phase.review ? readTextIfAny(reviewFile) : undefined;
  rmSync(reviewFile, { force: true });
  const files = await changedPaths(dir, before, await snapshotTree(dir));
  const output = { phase: phase.name, round, agent, tail, files };
  if (!phase.review) {
    context.store.append(journal.ended('completed', undefined, files));
    return { kind: 'done', output };
  }
  const verdict = readVerdict(written, tail, readTextIfAny(promptFile));
  const outcome = verdict.approved ? 'approved' : 'rejected';
  context.store.append(journal.ended(outcome, verdict.text || undefined, files));
  return { kind: 'reviewed', output, approved: verdict.approved, text: verdict.text };
}

const phasesOf = (run: PhaseRun): readonly PhaseSpec[] => run.task.phases ?? [];

function promptOf(run: PhaseRun, turn: PhaseTurn, all: readonly PhaseSpec[]): PhasePrompt {
  const { phase, round, outputs, rejection } = turn;
  return {
    name: phase.name,
    round,
    order: all.map((p) => p.name),
    ...(phase.prompt ? { prompt: phase.prompt } : {}),
    review: phase.review,
    ...(phase.review
      ? { reviewFile: REVIEW_FILE, base: run.base, sendsBackTo: all[turn.index - 1]?.name ?? 'previous' }
      : {}),
    outputs,
    ...(rejection ? { feedback: { phase: rejection.phase, text: rejection.text } } : {}),
  };
}

function journalOf(run: PhaseRun, phase: string, agent: string, round: number) {
  const at = { milestone: run.context.spec.id, task: run.task.id, attempt: run.attempt, phase, agent, round };
  return {
    started: { type: 'phase.started', ...at } satisfies CairnEvent,
    ended: (outcome: PhaseOutcome, reason: string | undefined, files: string[]): CairnEvent => ({
      type: 'phase.ended',
      ...at,
      outcome,
      ...(reason ? { reason } : {}),
      ...(files.length > 0 ? { files: files.slice(0, MAX_JOURNALED_FILES) } : {}),
    }),
  };
}

function blockedReason(rejection: Rejection, rejections: number, maxRounds: number): string {
  const text = rejection.text.replace(/\s*\n\s*/g, ' / ').trim();
  const times = rejections === 1 ? 'once' : `${rejections} times`;
  const reason = `review ${rejection.phase} rejected the work ${times} (max_review_rounds ${maxRounds}): ${text}`;
  return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason;
}

/**
 * Commits what the phases left, marked partial, so the rejected work stays on the task branch:
 * `cairn unblock` then checks and merges it as it is, `cairn retry` starts over.
 */
async function keepRejectedWork(run: PhaseRun): Promise<{ head?: string }> {
  const { context, task, dir } = run;
  const where = readWorktreeHead(dir) ?? (await readStatus(dir));
  if (where.branch !== taskBranch(context.spec.id, task.id)) return {};
  const staged = await stageAll(dir);
  if (staged.length === 0) return where.head ? { head: where.head } : {};
  const message = taskCommitMessage(
    {
      milestoneId: context.spec.id,
      run: context.run,
      task: { ...task, title: `${task.title} (work a review rejected)` },
      agent: profileNamed(context, run.hooks.agent),
      attempt: run.attempt,
    },
    staged,
    'partial',
  );
  return { head: await commitStaged(dir, message, context.commitEnv) };
}
