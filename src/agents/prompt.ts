import { phaseHistoryLines, phaseLines, type PhasePrompt } from './phase-prompt.js';

/** What a dependency left behind, for the prompt of the tasks that build on it. */
export interface DependencySummary {
  id: string;
  title: string;
  mergeCommit: string;
  files: string[];
}

export interface PromptInput {
  milestone: { id: string; title: string; branch: string };
  task: {
    id: string;
    title: string;
    prompt: string;
    files: string[];
    acceptance: string[];
  };
  dependencies: DependencySummary[];
  attempt: number;
  previousFailure?: string;
  /** Commit holding what an interrupted attempt left uncommitted. */
  keptWork?: string;
  /** The shared-context keys the task follows (its spec's `context:`), as they are now. */
  context?: PromptContextKey[];
  /** The phase of a multi-phase task this agent runs. */
  phase?: PhasePrompt;
}

export interface PromptContextKey {
  key: string;
  /** 0 when the key is not set yet. */
  version: number;
  value: unknown;
  /** Concurrent values a person or agent still has to resolve (manual policy). */
  conflict?: unknown[];
}

function contextLine(entry: PromptContextKey): string {
  if (entry.version === 0) return `- \`${entry.key}\`: not set yet`;
  if (entry.conflict) {
    const values = entry.conflict.map((value) => JSON.stringify(value)).join(' | ');
    return `- \`${entry.key}\` (v${entry.version}): conflicting values ${values}; write the resolution`;
  }
  return `- \`${entry.key}\` (v${entry.version}): ${JSON.stringify(entry.value ?? null)}`;
}

const MAX_LISTED_FILES = 20;

function listFiles(files: string[]): string {
  const shown = files.slice(0, MAX_LISTED_FILES).join(', ');
  const more = files.length > MAX_LISTED_FILES ? ` and ${files.length - MAX_LISTED_FILES} more` : '';
  return shown === '' ? '(no file changes)' : shown + more;
}

/** Builds the text an agent receives: the goal, its scope, how it is checked, and what it builds on. */
export function buildPrompt(input: PromptInput): string {
  const { milestone, task } = input;
  const lines = [
    `# Task ${task.id}: ${task.title}`,
    '',
    `You are working on milestone ${milestone.id} "${milestone.title}" in a git worktree of your own,`,
    `on a branch made for this task from ${milestone.branch}. Work only in this directory.`,
    'Commit if you like; anything you leave uncommitted is committed for you when you exit.',
    'Do not switch branches and do not delete files outside your scope.',
    '',
    '## What to do',
    '',
    task.prompt.trim(),
    ...(input.phase ? phaseLines(input.phase) : []),
  ];
  if (task.files.length > 0) {
    lines.push('', '## Files in scope', '', ...task.files.map((glob) => `- ${glob}`));
  }
  if (task.acceptance.length > 0) {
    lines.push(
      '',
      '## Acceptance',
      '',
      input.phase
        ? 'After the last phase, these commands run in the worktree and must all pass:'
        : 'When you exit with status 0, these commands run in the worktree and must all pass:',
      '',
      ...task.acceptance.map((command) => `- \`${command}\``),
    );
  }
  if (input.dependencies.length > 0) {
    lines.push('', '## Work this builds on (already merged into your branch)', '');
    for (const dep of input.dependencies) {
      lines.push(
        `- ${dep.id} (${dep.title}), merge ${dep.mergeCommit.slice(0, 12)}: ${listFiles(dep.files)}`,
      );
    }
  }
  if (input.context && input.context.length > 0) {
    lines.push('', '## Shared context', '');
    lines.push(
      'Values other tasks share; read the latest with `cairn ctx get <key>`, write with `cairn ctx set <key> <json>`:',
    );
    lines.push('', ...input.context.map(contextLine));
  }
  if (input.keptWork) {
    lines.push('', '## Continuing interrupted work', '');
    lines.push(
      `An earlier attempt was interrupted. What it had not committed is kept in commit ${input.keptWork.slice(0, 12)}`,
    );
    lines.push('on this branch: continue from it rather than starting over.');
  }
  if (input.attempt > 1) {
    lines.push('', `## Attempt ${input.attempt}`, '');
    lines.push(
      `An earlier attempt failed: ${input.previousFailure ?? 'see the log of the previous attempt'}.`,
    );
    lines.push('Its commits, if any, are on this branch; fix what failed.');
  }
  if (input.phase) lines.push(...phaseHistoryLines(input.phase));
  return `${lines.join('\n')}\n`;
}
