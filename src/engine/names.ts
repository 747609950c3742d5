import path from 'node:path';

/** Branch and path names, in one place so every part of Cairn agrees on them. */
export function milestoneBranch(id: string, slug: string): string {
  return `milestone/${id}-${slug}`;
}

export function taskBranch(milestoneId: string, taskId: string): string {
  return `feature/milestone-${milestoneId}-${taskId}`;
}

export function integrationBranch(milestoneId: string, point = 'land'): string {
  return `integration/milestone-${milestoneId}-${point}`;
}

/** The folder of a milestone's worktrees. */
export function milestoneWorktrees(stateDir: string, milestoneId: string): string {
  return path.join(stateDir, 'worktrees', milestoneId);
}

export function taskWorktree(stateDir: string, milestoneId: string, taskId: string): string {
  return path.join(milestoneWorktrees(stateDir, milestoneId), taskId);
}

export function integrationWorktree(stateDir: string, milestoneId: string): string {
  return path.join(milestoneWorktrees(stateDir, milestoneId), '_land');
}

export function attemptLog(stateDir: string, run: string, taskId: string, attempt: number): string {
  return path.join(stateDir, 'logs', run, `${taskId}.${attempt}.log`);
}

export function attemptPromptFile(stateDir: string, run: string, taskId: string, attempt: number): string {
  return path.join(stateDir, 'logs', run, `${taskId}.${attempt}.prompt.md`);
}

/** Where an agent may write how far it is (`40%`), read by progressive and checkpoint commits. */
export function attemptProgressFile(stateDir: string, run: string, taskId: string, attempt: number): string {
  return path.join(stateDir, 'logs', run, `${taskId}.${attempt}.progress`);
}

export function stateDbFile(stateDir: string): string {
  return path.join(stateDir, 'state.db');
}

/** The prompt of one phase of a multi-phase task (phase names are checked to be file-name safe). */
export function phasePromptFile(
  stateDir: string,
  run: string,
  taskId: string,
  attempt: number,
  phase: string,
): string {
  return path.join(stateDir, 'logs', run, `${taskId}.${attempt}.${phase}.prompt.md`);
}

/** Where a review phase writes its verdict, relative to the task's worktree; removed once read. */
export const REVIEW_FILE = '.cairn-review.md';
