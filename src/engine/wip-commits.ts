import { readFileSync } from 'node:fs';
import type { AgentProfile } from '../agents/profiles.js';
import { commitStaged, stageAll } from '../git/commit.js';
import { tryGit } from '../git/git.js';
import type { FileChange } from '../git/status.js';
import { parseMarker } from '../progress/branch-history.js';
import type { CommitStrategy, TaskSpec } from '../spec/types.js';
import { taskCommitMessage } from './messages.js';

/** A running attempt's intermediate commits; `stop` waits for one in flight and says how many were made. */
export interface WipCommits {
  stop(): Promise<number>;
}

export interface WipOptions {
  strategy: Exclude<CommitStrategy, 'atomic'>;
  everyMs: number;
  dir: string;
  milestoneId: string;
  run: string;
  task: TaskSpec;
  attempt: number;
  agent: AgentProfile;
  /** The committer identity Cairn's own commits use. */
  commitEnv: NodeJS.ProcessEnv;
  /** Where the agent may write its own progress (`40%`); else time against the timeout estimates it. */
  progressFile: string;
  timeoutMs: number;
  now?: () => number;
}

/** Estimated progress of a running attempt, never 100% (that is the final commit's). */
export function estimateProgress(reported: number | null, elapsedMs: number, timeoutMs: number): number {
  const share = reported ?? elapsedMs / Math.max(1, timeoutMs);
  return Math.max(1, Math.min(95, Math.round(share * 100)));
}

function readReported(file: string): number | null {
  try {
    return parseMarker(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * While the agent works, every `everyMs`: stages the worktree and, for `checkpoint`, commits any
 * change as a work-in-progress commit; for `progressive`, commits only a state that stayed the same
 * since the previous look (stable) and differs from the last commit. Each carries `Progress: N%`.
 * A tick that meets a git lock held by the agent is skipped, never waited on.
 */
export function startWipCommits(options: WipOptions): WipCommits {
  const now = options.now ?? Date.now;
  const started = now();
  let previousTree: string | undefined;
  let committedTree: string | undefined;
  let made = 0;
  // What was staged since the last commit, for the commit's change summary.
  let pending = new Map<string, FileChange>();
  let busy: Promise<void> = Promise.resolve();
  let stopped = false;

  const tick = async () => {
    if (stopped) return;
    const staged = await stageAll(options.dir).catch(() => undefined);
    if (!staged) return;
    for (const change of staged) pending.set(change.path, change);
    const tree = await tryGit(options.dir, ['write-tree']);
    if (tree.code !== 0) return;
    const id = tree.stdout.trim();
    committedTree ??= (await tryGit(options.dir, ['rev-parse', 'HEAD^{tree}'])).stdout.trim();
    const stable = options.strategy === 'checkpoint' || id === previousTree;
    previousTree = id;
    if (!stable || id === committedTree || stopped) return;
    const progress = estimateProgress(readReported(options.progressFile), now() - started, options.timeoutMs);
    const checkpoint = options.strategy === 'checkpoint';
    const message = taskCommitMessage(
      {
        milestoneId: options.milestoneId,
        run: options.run,
        task: {
          ...options.task,
          ...(checkpoint ? { type: 'chore' } : {}),
          title: checkpoint
            ? `${options.task.title} (work-in-progress checkpoint ${made + 1})`
            : `${options.task.title} (in progress)`,
        },
        agent: options.agent,
        attempt: options.attempt,
      },
      [...pending.values()],
      `${progress}%`,
    );
    await commitStaged(options.dir, message, options.commitEnv).then(
      () => {
        made++;
        committedTree = id;
        pending = new Map();
      },
      () => undefined,
    );
  };
  const timer = setInterval(() => {
    busy = busy.then(tick, tick);
  }, options.everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy.catch(() => undefined);
      return made;
    },
  };
}
