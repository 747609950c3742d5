import type {
  Checkpoint,
  CheckpointReason,
  CheckpointScore,
  CheckpointValidation,
  QualityBand,
} from './types.js';

export interface ScoreInputs {
  checkpoint: Checkpoint;
  validation: CheckpointValidation;
  /** The tasks of the milestone's spec today. */
  specTasks: string[];
  /** Events journaled after the checkpoint: what replay has to cover. */
  eventsAfter: number;
}

// A checkpoint taken at a settled moment is worth more than one taken mid-flight.
const reasonWeight: Record<CheckpointReason, number> = {
  'task-merged': 1,
  'before-land': 1,
  rollback: 1,
  interval: 0.9,
  interrupted: 0.85,
  // Rebuilt from git by `cairn doctor --repair`: settled, but attempts and worktrees are not known.
  repaired: 0.8,
};

const clamp = (value: number) => Math.min(1, Math.max(0, value));
const round = (value: number) => Math.round(value * 100) / 100;

/**
 * Completeness: how much of today's milestone it describes (spec tasks covered, head known).
 * Consistency: whether git still agrees (commits exist, branch head same or descended, done
 * tasks carry their merge). Confidence: how settled the moment was (reason, running attempts,
 * dirty worktrees) and how much replay it needs. Total weighs consistency highest; a
 * checkpoint whose head left the branch is poor whatever else it has.
 */
export function scoreCheckpoint({
  checkpoint,
  validation,
  specTasks,
  eventsAfter,
}: ScoreInputs): CheckpointScore {
  const { content } = checkpoint;
  const known = new Set(content.tasks.map((task) => task.id));
  const covered =
    specTasks.length === 0 ? 1 : specTasks.filter((id) => known.has(id)).length / specTasks.length;
  const completeness = clamp(covered * (content.milestoneHead ? 1 : 0.5));

  const headOk = validation.head === 'same' || validation.head === 'ancestor' ? 1 : 0;
  const existing =
    validation.commitsChecked === 0 ? 1 : 1 - validation.missingCommits.length / validation.commitsChecked;
  const tasks = Math.max(1, content.tasks.length);
  const doneWithoutMerge = content.tasks.filter((task) => task.state === 'done' && !task.mergeCommit).length;
  const consistency = clamp(headOk * existing * (1 - doneWithoutMerge / tasks));

  const dirty = content.tasks.filter((task) => task.worktree === 'dirty').length;
  const confidence = clamp(
    (reasonWeight[checkpoint.reason] ?? 0.8) -
      0.5 * (content.running.length / tasks) -
      0.25 * (dirty / tasks) -
      Math.min(0.3, eventsAfter / 200),
  );

  const total = round(0.3 * completeness + 0.4 * consistency + 0.3 * confidence);
  return {
    completeness: round(completeness),
    consistency: round(consistency),
    confidence: round(confidence),
    total,
    band: headOk === 0 ? 'poor' : bandOf(total),
  };
}

export function bandOf(total: number): QualityBand {
  if (total >= 0.9) return 'excellent';
  if (total >= 0.75) return 'good';
  if (total >= 0.5) return 'acceptable';
  return 'poor';
}
