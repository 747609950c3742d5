import { describe, expect, it } from 'vitest';
import type { PhaseSpec } from '../spec/types.js';
import { runPhaseLoop, type PhaseTurn, type TurnEnd } from './phase-loop.js';

const phases: PhaseSpec[] = [
  { name: 'design', review: false },
  { name: 'implement', review: false },
  { name: 'review', review: true },
  { name: 'docs', review: false },
];

/** Runs the loop with reviews answering from `verdicts` in turn; returns the runs and the end. */
async function run(verdicts: boolean[], maxRounds: number, failAt?: string) {
  const runs: string[] = [];
  const turns: PhaseTurn[] = [];
  const end = await runPhaseLoop(phases, maxRounds, async (turn): Promise<TurnEnd> => {
    runs.push(`${turn.phase.name}#${turn.round}`);
    turns.push(turn);
    const output = {
      phase: turn.phase.name,
      round: turn.round,
      agent: 'a',
      tail: `out ${turn.round}`,
      files: [],
    };
    if (turn.phase.name === failAt) {
      return { kind: 'stopped', result: { outcome: 'failed', reason: 'exit 1', exitCode: 1, signal: null } };
    }
    if (!turn.phase.review) return { kind: 'done', output };
    const approved = verdicts.shift() ?? true;
    return { kind: 'reviewed', output, approved, text: approved ? '' : `fix ${turn.round}` };
  });
  return { runs, turns, end };
}

describe('runPhaseLoop', () => {
  it('runs the phases in order when the review approves', async () => {
    const { runs, end, turns } = await run([true], 2);
    expect(runs).toEqual(['design#1', 'implement#1', 'review#1', 'docs#1']);
    expect(end).toEqual({ kind: 'finished' });
    expect(turns[3]?.outputs.map((o) => o.phase)).toEqual(['design', 'implement', 'review']);
  });

  it('sends a rejection back to the phase before the review, with the review text', async () => {
    const { runs, end, turns } = await run([false, true], 2);
    expect(runs).toEqual(['design#1', 'implement#1', 'review#1', 'implement#2', 'review#2', 'docs#1']);
    expect(end).toEqual({ kind: 'finished' });
    expect(turns[3]?.rejection).toEqual({ phase: 'review', round: 1, text: 'fix 1' });
    // The second implement run sees the first review's output; the second review sees both rounds' latest.
    expect(turns[3]?.outputs.map((o) => `${o.phase}#${o.round}`)).toEqual([
      'design#1',
      'implement#1',
      'review#1',
    ]);
    expect(turns[4]?.rejection).toBeUndefined();
    expect(turns[4]?.outputs.map((o) => `${o.phase}#${o.round}`)).toEqual([
      'design#1',
      'implement#2',
      'review#1',
    ]);
  });

  it('ends rejected once the review rejects more than max rounds allow', async () => {
    const { runs, end } = await run([false, false, false, false], 2);
    expect(runs).toEqual([
      'design#1',
      'implement#1',
      'review#1',
      'implement#2',
      'review#2',
      'implement#3',
      'review#3',
    ]);
    expect(end).toEqual({
      kind: 'rejected',
      rejection: { phase: 'review', round: 3, text: 'fix 3' },
      rejections: 3,
    });
  });

  it('with max rounds 0, the first rejection is final', async () => {
    const { runs, end } = await run([false], 0);
    expect(runs).toEqual(['design#1', 'implement#1', 'review#1']);
    expect(end).toMatchObject({ kind: 'rejected', rejections: 1 });
  });

  it('stops at a failed phase with its result', async () => {
    const { runs, end } = await run([], 2, 'implement');
    expect(runs).toEqual(['design#1', 'implement#1']);
    expect(end).toMatchObject({ kind: 'stopped', result: { outcome: 'failed', reason: 'exit 1' } });
  });
});
