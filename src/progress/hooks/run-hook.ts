import { readFileSync } from 'node:fs';
import path from 'node:path';
import { git, tryGit } from '../../git/git.js';
import type { Store } from '../../store/types.js';
import { isMilestoneBranch, needsKnownMilestones, parseTaskBranch, taskBranchHint } from './branch.js';
import { isEmptyMessage } from './message.js';
import type { HookName } from './script.js';

/** What a hook needs from outside. */
export interface HookContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The state store if the state database exists already; never creates one. */
  openState: () => Promise<Store | undefined>;
  /** One line for the person committing (stderr). */
  say: (line: string) => void;
}

async function currentBranch(cwd: string): Promise<string | undefined> {
  const result = await tryGit(cwd, ['symbolic-ref', '--short', '-q', 'HEAD']);
  const branch = result.stdout.trim();
  return result.code === 0 && branch !== '' ? branch : undefined; // detached HEAD: no branch
}

/** The task branch checked out, if HEAD is on one. */
async function taskOfHead(ctx: HookContext) {
  const branch = await currentBranch(ctx.cwd);
  if (branch === undefined) return undefined;
  let task = parseTaskBranch(branch);
  if (task === undefined && needsKnownMilestones(branch)) {
    const known = (await ctx.openState())?.milestones().map((row) => row.id) ?? [];
    task = parseTaskBranch(branch, known);
  }
  return task && { ...task, branch };
}

async function commentChar(cwd: string): Promise<string> {
  const result = await tryGit(cwd, ['config', '--get', 'core.commentChar']);
  const value = result.stdout.replace(/\n$/, '');
  return result.code === 0 && value !== '' ? value : '#';
}

/** Adds `Milestone:` and `Task:` trailers to a message written by hand on a task branch. */
async function commitMsg(ctx: HookContext, [file]: string[]): Promise<number> {
  const task = file === undefined ? undefined : await taskOfHead(ctx);
  if (file === undefined || task === undefined) return 0;
  const text = readFileSync(path.resolve(ctx.cwd, file), 'utf8');
  if (isEmptyMessage(text, await commentChar(ctx.cwd))) return 0;
  const trailers = [`Milestone: ${task.milestone}`, `Task: ${task.task}`];
  await git(ctx.cwd, [
    'interpret-trailers',
    '--in-place',
    '--if-exists',
    'doNothing',
    ...trailers.flatMap((trailer) => ['--trailer', trailer]),
    file,
  ]);
  return 0;
}

/** Refuses commits on a milestone branch: Cairn's merge queue is the only writer there. */
async function preCommit(ctx: HookContext): Promise<number> {
  // Cairn commits with --no-verify and merges without hooks; this is for anything else it runs.
  if (ctx.env.CAIRN_INTERNAL_COMMIT === '1') return 0;
  const branch = await currentBranch(ctx.cwd);
  if (branch === undefined || !isMilestoneBranch(branch)) return 0;
  ctx.say(`cairn: refusing a direct commit on ${branch}: Cairn merges tasks into it one at a time.`);
  ctx.say(
    `cairn: commit on a task branch (${taskBranchHint(branch)}) instead, or use \`git commit --no-verify\` if you really mean to.`,
  );
  return 1;
}

/** Journals a commit made on a task branch, when Cairn has state for this repository. */
async function postCommit(ctx: HookContext): Promise<number> {
  const task = await taskOfHead(ctx);
  const store = task && (await ctx.openState());
  if (!task || !store) return 0;
  const commit = await git(ctx.cwd, ['rev-parse', 'HEAD']);
  store.append({ type: 'commit.recorded', ...task, commit, source: 'hook' });
  return 0;
}

const hooks: Record<HookName, (ctx: HookContext, args: string[]) => Promise<number>> = {
  'commit-msg': commitMsg,
  'pre-commit': preCommit,
  'post-commit': postCommit,
};

/**
 * Runs Cairn's part of hook `name`; resolves to the hook's exit code. Only pre-commit refuses
 * anything: a failure of Cairn's own bookkeeping is one warning line, never a blocked commit.
 */
export async function runHook(name: HookName, args: string[], ctx: HookContext): Promise<number> {
  try {
    return await hooks[name](ctx, args);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.say(`cairn: ${name} hook skipped: ${message.split('\n')[0] ?? ''}`);
    return 0;
  }
}
