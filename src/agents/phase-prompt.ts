/** What one phase of a multi-phase task left for the phases after it. */
export interface PhaseOutput {
  phase: string;
  round: number;
  agent: string;
  /** The end of the phase's output (its log), bounded. */
  tail: string;
  /** Paths the phase changed in the worktree. */
  files: string[];
}

/** The phase an agent runs in, for its prompt. */
export interface PhasePrompt {
  name: string;
  round: number;
  /** Every phase's name, in order. */
  order: string[];
  prompt?: string;
  review: boolean;
  /** Review phases: where the verdict goes (relative to the worktree) and what to diff against. */
  reviewFile?: string;
  base?: string;
  /** The phase the review sends the work back to. */
  sendsBackTo?: string;
  /** The latest output of each phase that ran before in this attempt. */
  outputs: PhaseOutput[];
  /** The rejection this run answers. */
  feedback?: { phase: string; text: string };
}

const MAX_LISTED_FILES = 30;

/** The phase's own instructions, right after the task's. */
export function phaseLines(phase: PhasePrompt): string[] {
  const position = `${phase.order.indexOf(phase.name) + 1} of ${phase.order.length}: ${phase.order.join(' → ')}`;
  const round = phase.round > 1 ? `, round ${phase.round}` : '';
  const lines = ['', `## Phase: ${phase.name} (${position}${round})`, ''];
  lines.push(
    'This task runs in phases, each an agent of its own in this same worktree. Do only this phase;',
    'the work of all phases is committed and checked once, after the last one.',
  );
  if (phase.prompt) lines.push('', phase.prompt.trim());
  if (phase.review) lines.push(...verdictLines(phase));
  return lines;
}

function verdictLines(phase: PhasePrompt): string[] {
  const diff = phase.base
    ? ` (\`git diff ${phase.base.slice(0, 12)}\` shows it, \`git status\` the new files)`
    : '';
  return [
    '',
    '### Your verdict',
    '',
    `This is a review phase: review the work in this worktree${diff} against the task. A review`,
    'normally changes no files. When you are done, write your verdict to the file',
    `\`${phase.reviewFile ?? '.cairn-review.md'}\` at the root of the worktree (its full path is in CAIRN_REVIEW_FILE):`,
    '',
    '- a first line `REVIEW: approve` when the work can be merged as it is, or',
    `- a first line \`REVIEW: reject\`, then what must change (it goes to the \`${phase.sendsBackTo ?? 'previous'}\` phase).`,
    '',
    'Cairn reads and removes that file. If you cannot write files, end your output with the line',
    '`REVIEW: approve` or `REVIEW: reject <what must change>` instead. No verdict counts as a rejection.',
    'Exit 0 once the verdict is given; a non-zero exit fails the attempt.',
  ];
}

/** What earlier phases left, and the review to answer; at the end of the prompt. */
export function phaseHistoryLines(phase: PhasePrompt): string[] {
  const lines: string[] = [];
  if (phase.outputs.length > 0) {
    lines.push('', '## Earlier phases', '');
    for (const output of phase.outputs) {
      const round = output.round > 1 ? `, round ${output.round}` : '';
      lines.push(`### ${output.phase} (${output.agent}${round})`, '', `Changed: ${listFiles(output.files)}`);
      if (output.tail.trim() !== '') lines.push('', 'End of its output:', '', fence(output.tail), '');
      else lines.push('');
    }
  }
  if (phase.feedback) {
    lines.push('', `## Review to address (from ${phase.feedback.phase})`, '');
    lines.push('The review sent the work back. Fix what it asks for, keeping what it did not object to:');
    lines.push('', fence(phase.feedback.text));
  }
  return lines;
}

function listFiles(files: string[]): string {
  if (files.length === 0) return 'no files';
  const more = files.length > MAX_LISTED_FILES ? ` and ${files.length - MAX_LISTED_FILES} more` : '';
  return files.slice(0, MAX_LISTED_FILES).join(', ') + more;
}

/** A fenced block that the text itself cannot close. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}\n${text.trimEnd()}\n${marks}`;
}
