import { scaffoldMilestone } from '../spec/index.js';
import { MILESTONE_KEYS, TASK_KEYS, TASK_TYPES } from '../spec/keys.js';
import type { Problem } from '../spec/types.js';

/** What an agent needs to draft a milestone spec from a goal, and what failed in its last draft. */
export interface SpecDraftPromptInput {
  goal: string;
  /** The milestone id Cairn chose (the next free one). */
  id: string;
  /** Where the spec will be saved, relative to the repository root. */
  specFile: string;
  /** Absolute path the agent writes its YAML to. */
  outputFile: string;
  base: string;
  defaultAgent: string;
  /** Profiles tasks may name, each with the program it runs. */
  profiles: { name: string; program: string }[];
  /** Top-level entries of the repository; directories end in `/`. */
  repoEntries: string[];
  round: number;
  rounds: number;
  previous?: { yaml: string; problems: Problem[] };
}

const MAX_ENTRIES = 80;

/** One problem as `cairn validate` reports it, with the spec's future file name. */
export function formatDraftProblem(problem: Problem, specFile: string): string {
  const where = problem.path === '' ? '' : ` ${problem.path}:`;
  return `- ${specFile}:${problem.line}:${problem.col}:${where} ${problem.message}\n  hint: ${problem.hint}`;
}

function fence(yaml: string): string[] {
  return ['```yaml', yaml.trimEnd(), '```'];
}

function repositoryLines(entries: string[]): string[] {
  if (entries.length === 0) return ['(the repository has no files yet)'];
  const shown = entries.slice(0, MAX_ENTRIES).map((entry) => `- ${entry}`);
  const more = entries.length - MAX_ENTRIES;
  return more > 0 ? [...shown, `- … and ${more} more`] : shown;
}

/** The prompt asking an agent to write (or, after a failed round, correct) a milestone spec. */
export function buildSpecDraftPrompt(input: SpecDraftPromptInput): string {
  const profiles = input.profiles.map(
    (p) => `- \`${p.name}\` (runs \`${p.program}\`)${p.name === input.defaultAgent ? ', the default' : ''}`,
  );
  const example = scaffoldMilestone({
    id: input.id,
    title: 'Short title of the milestone',
    base: input.base,
    agent: input.defaultAgent,
  });
  const lines = [
    `# Write Cairn milestone spec ${input.id}`,
    '',
    '## Goal',
    '',
    input.goal.trim(),
    '',
    '## What to do',
    '',
    'Plan this goal as a Cairn milestone: a YAML file of tasks that coding agents carry out in',
    'parallel git worktrees, each merged into the milestone branch once its dependencies are merged.',
    'Read the repository for context, but do not implement anything and do not change, create or',
    'delete any file in it. Write the complete spec, and nothing else, to this file:',
    '',
    `    ${input.outputFile}`,
    '',
    'If you cannot write that file, print the spec as one ```yaml fenced block in your answer instead.',
    '',
    '## Rules of the spec',
    '',
    `- \`id: "${input.id}"\` exactly (quoted); the spec is saved as \`${input.specFile}\`.`,
    `- \`base: ${input.base}\` unless the goal names another branch.`,
    `- Milestone keys: ${MILESTONE_KEYS.join(', ')} (id, title and tasks are required).`,
    `- Task keys: ${TASK_KEYS.join(', ')} (id and title are required).`,
    '- Task ids: lowercase letters, digits, `.`, `_` and `-`; unique; `depends_on` names other task',
    '  ids and must not form a cycle.',
    `- \`type\` is one of ${TASK_TYPES.join(', ')}.`,
    '- Each task: a `prompt` that says what to build, where, and how to know it is done; `files`',
    '  globs for its scope (tasks whose files overlap wait for each other); `acceptance` commands',
    '  that exist in this repository and must pass before the task is merged.',
    '- Durations are seconds or like 90s, 30m, 1h30m.',
    '',
    '## Agent profiles a task may name in `agent:`',
    '',
    ...profiles,
    '',
    '## Repository (top-level entries)',
    '',
    ...repositoryLines(input.repoEntries),
    '',
    '## Example (valid as is; the comments explain each key)',
    '',
    ...fence(example),
  ];
  if (input.previous) {
    lines.push(
      '',
      `## Round ${input.round} of ${input.rounds}: fix these problems`,
      '',
      'Your previous spec failed `cairn validate` with these problems (file:line:col, dot path, message, hint):',
      '',
      ...input.previous.problems.map((problem) => formatDraftProblem(problem, input.specFile)),
      '',
      'Your previous spec:',
      '',
      ...fence(input.previous.yaml),
      '',
      `Write the corrected, complete spec to ${input.outputFile}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
