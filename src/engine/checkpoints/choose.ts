import type { Checkpoint, CheckpointScore, CheckpointValidation } from './types.js';

export interface Candidate {
  checkpoint: Checkpoint;
  validation: CheckpointValidation;
  score: CheckpointScore;
  /** Tasks the checkpoint has done: the work resuming from it preserves. */
  tasksDone: number;
  /** Events after it: what has to be replayed or redone. */
  eventsAfter: number;
}

export interface Choice {
  chosen: Candidate | undefined;
  why: string;
  /** Every candidate, best first. */
  ranked: Candidate[];
}

/** A candidate can be resumed from when git still holds its heads and it is not poor. */
export function isUsable(candidate: Candidate): boolean {
  const { head, missingCommits } = candidate.validation;
  return (
    (head === 'same' || head === 'ancestor') && missingCommits.length === 0 && candidate.score.band !== 'poor'
  );
}

/**
 * The resume point: among usable checkpoints, the one that preserves the most finished work,
 * then needs the least replay, then scores best, then is newest.
 */
export function chooseResumePoint(candidates: Candidate[]): Choice {
  const ranked = [...candidates].sort(
    (a, b) =>
      Number(isUsable(b)) - Number(isUsable(a)) ||
      b.tasksDone - a.tasksDone ||
      a.eventsAfter - b.eventsAfter ||
      b.score.total - a.score.total ||
      b.checkpoint.id - a.checkpoint.id,
  );
  const best = ranked[0];
  if (!best || !isUsable(best)) {
    return {
      chosen: undefined,
      why:
        candidates.length === 0
          ? 'no checkpoints yet: the run reconciles with git alone'
          : 'no checkpoint is usable (heads gone or off the branch): the run reconciles with git alone',
      ranked,
    };
  }
  const parts = [
    `preserves the most finished work (${best.tasksDone} task${best.tasksDone === 1 ? '' : 's'} done)`,
    best.eventsAfter === 0 ? 'nothing to replay' : `${best.eventsAfter} later event(s) to replay`,
    best.validation.head === 'same'
      ? 'its milestone head is the branch head'
      : 'the branch head descends from its milestone head',
    `score ${best.score.total.toFixed(2)} (${best.score.band})`,
  ];
  return { chosen: best, why: parts.join('; '), ranked };
}
