import { explainResume, type ResumeExplanation } from '../../engine/checkpoints/explain.js';
import { prepareResume } from '../../engine/checkpoints/prepare-resume.js';
import { InputError } from '../../shared/errors.js';
import { formatTable, printJson } from '../output.js';
import run from './run.js';

/** `cairn resume <milestone>`: a run from where it stopped; with --explain, only says how it would resume. */
export default async function resume(
  milestone: string,
  options: { explain?: boolean; json?: boolean; concurrency?: number },
): Promise<number> {
  if (!options.explain) {
    if (options.json) {
      throw new InputError('E_BAD_OPTION', '--json goes with --explain', {
        hint: `cairn resume ${milestone} --explain --json`,
      });
    }
    for (const notice of await prepareResume(process.cwd(), milestone))
      process.stderr.write(`cairn: ${notice}\n`);
    return run(milestone, options.concurrency ? { concurrency: options.concurrency } : {});
  }
  const explanation = await explainResume(process.cwd(), milestone);
  if (options.json) printJson(toJson(explanation));
  else process.stdout.write(renderExplanation(explanation));
  return 0;
}

function toJson(explanation: ResumeExplanation) {
  return {
    milestone: explanation.milestone,
    branch: explanation.branch,
    branch_head: explanation.branchHead,
    chosen: explanation.chosen,
    why: explanation.why,
    candidates: explanation.candidates.map((candidate) => ({
      id: candidate.checkpoint.id,
      reason: candidate.checkpoint.reason,
      created_at: candidate.checkpoint.createdAt,
      seq: candidate.checkpoint.seq,
      milestone_head: candidate.checkpoint.content.milestoneHead,
      tasks_done: candidate.tasksDone,
      events_after: candidate.eventsAfter,
      heads_valid: candidate.validation.missingCommits.length === 0,
      head: candidate.validation.head,
      missing_commits: candidate.validation.missingCommits,
      score: candidate.score,
      usable: candidate.usable,
    })),
  };
}

export function renderExplanation(explanation: ResumeExplanation): string {
  const rows = explanation.candidates.map((candidate) => [
    `#${candidate.checkpoint.id}${candidate.checkpoint.id === explanation.chosen ? ' *' : ''}`,
    candidate.checkpoint.reason,
    candidate.checkpoint.createdAt.replace('T', ' ').slice(0, 19),
    String(candidate.tasksDone),
    candidate.validation.missingCommits.length === 0
      ? `yes (${candidate.validation.head})`
      : `no (${candidate.validation.head})`,
    candidate.score.completeness.toFixed(2),
    candidate.score.consistency.toFixed(2),
    candidate.score.confidence.toFixed(2),
    candidate.score.total.toFixed(2),
    candidate.score.band,
  ]);
  const header = ['id', 'reason', 'time', 'done', 'heads valid', 'compl', 'consist', 'conf', 'score', 'band'];
  const table = rows.length > 0 ? `${formatTable(header, rows)}\n\n` : 'No checkpoints yet.\n\n';
  const chosen = explanation.chosen === null ? 'none' : `#${explanation.chosen}`;
  return `Checkpoints of milestone ${explanation.milestone} (${explanation.branch}):\n\n${table}Resume point: ${chosen} — ${explanation.why}\nNothing was run. To resume: cairn resume ${explanation.milestone}\n`;
}
