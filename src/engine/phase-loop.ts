import type { PhaseOutput } from '../agents/phase-prompt.js';
import type { PhaseSpec } from '../spec/types.js';
import type { AttemptResult } from './attempt-types.js';

/** A review's rejection, carried to the phase it sends the work back to. */
export interface Rejection {
  phase: string;
  round: number;
  text: string;
}

/** One run of one phase, as the loop asks for it. */
export interface PhaseTurn {
  phase: PhaseSpec;
  index: number;
  /** 1 on the phase's first run in the attempt, 2 after one loop back, … */
  round: number;
  /** The latest output of each phase that ran before, in phase order. */
  outputs: PhaseOutput[];
  /** The rejection this run answers, when a review sent the work back. */
  rejection?: Rejection;
}

export type TurnEnd =
  | { kind: 'done'; output: PhaseOutput }
  | { kind: 'reviewed'; output: PhaseOutput; approved: boolean; text: string }
  /** The phase's agent failed or the run stopped: the attempt ends with this result. */
  | { kind: 'stopped'; result: AttemptResult };

export type LoopEnd =
  | { kind: 'finished' }
  | { kind: 'stopped'; result: AttemptResult }
  /** A review rejected once more than `maxRounds` allows. */
  | { kind: 'rejected'; rejection: Rejection; rejections: number };

/**
 * Runs the phases in order. A review that rejects sends the work back to the phase before it
 * (which is never a review: the spec checks that), then runs again; each review may do that
 * `maxRounds` times, and its next rejection ends the loop.
 */
export async function runPhaseLoop(
  phases: readonly PhaseSpec[],
  maxRounds: number,
  turn: (turn: PhaseTurn) => Promise<TurnEnd>,
): Promise<LoopEnd> {
  const rounds = new Map<string, number>();
  const latest = new Map<string, PhaseOutput>();
  const rejections = new Map<string, number>();
  let rejection: Rejection | undefined;
  let index = 0;
  while (index < phases.length) {
    const phase = phases[index]!;
    const round = (rounds.get(phase.name) ?? 0) + 1;
    rounds.set(phase.name, round);
    const outputs = phases.flatMap((p) => latest.get(p.name) ?? []);
    const end = await turn({ phase, index, round, outputs, ...(rejection ? { rejection } : {}) });
    rejection = undefined;
    if (end.kind === 'stopped') return end;
    latest.set(phase.name, end.output);
    if (end.kind === 'done' || end.approved) {
      index++;
      continue;
    }
    const used = rejections.get(phase.name) ?? 0;
    const rejected = { phase: phase.name, round, text: end.text };
    // With nothing before it to send the work back to, a review's rejection is final.
    if (used >= maxRounds || index === 0)
      return { kind: 'rejected', rejection: rejected, rejections: used + 1 };
    rejections.set(phase.name, used + 1);
    rejection = rejected;
    index--;
  }
  return { kind: 'finished' };
}
