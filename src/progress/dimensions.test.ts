import { describe, expect, it } from 'vitest';
import {
  allDimensions,
  codeDimension,
  gitDimension,
  qualityDimension,
  taskDimension,
  valueDimension,
  weightedLines,
} from './dimensions.js';
import { attempt, doneTask, input, lines, task } from './test-input.js';
import { DEFAULT_LINE_WEIGHTS } from './types.js';

describe('weightedLines', () => {
  it('weighs added and deleted lines by file kind', () => {
    // code 10 → 10, test 10 → 8, docs 10 → 6, config 10 → 4
    const l = lines({ code: [6, 4], test: [10, 0], docs: [0, 10], config: [5, 5] });
    expect(weightedLines(l, DEFAULT_LINE_WEIGHTS)).toBeCloseTo(28);
  });
});

describe('task dimension', () => {
  it('is done weight over total, with partial credit from running tasks’ markers', () => {
    const tasks = [
      doneTask('a', 0, 5, { weight: 2 }),
      task('b', { state: 'running', weight: 2, marker: 0.5, attempts: [attempt(5, null, 'running')] }),
      task('c', { weight: 4 }),
    ];
    // (2 + 2 × 0.5) / 8
    expect(taskDimension(tasks).value).toBe(0.375);
  });

  it('leaves skipped tasks out of the total', () => {
    expect(taskDimension([doneTask('a', 0, 1), task('b', { state: 'skipped' })]).value).toBe(1);
  });

  it('says no data when nothing is in scope', () => {
    const d = taskDimension([task('a', { state: 'skipped' })]);
    expect(d.value).toBeNull();
    expect(d.explanation).toMatch(/^no data/);
  });
});

describe('code dimension', () => {
  it('compares lines written with what finished tasks needed per unit of weight', () => {
    const tasks = [
      doneTask('a', 0, 5, { lines: lines({ code: [40, 0] }) }), // 40 lines for weight 1
      task('b', {
        state: 'running',
        lines: lines({ code: [10, 0] }),
        attempts: [attempt(5, null, 'running')],
      }),
      task('c', { weight: 2 }),
    ];
    // written 40 + 10, expected 40 + 40 + 80
    expect(codeDimension(input(tasks)).value).toBe(0.313); // 50 / 160, rounded
  });

  it('caps a running task at its expected lines', () => {
    const tasks = [
      doneTask('a', 0, 5, { lines: lines({ code: [10, 0] }) }),
      task('b', {
        state: 'running',
        lines: lines({ code: [500, 0] }),
        attempts: [attempt(5, null, 'running')],
      }),
    ];
    expect(codeDimension(input(tasks)).value).toBe(1);
  });

  it('says no data before a finished task changed lines (all work reverted counts as churn, not as zero)', () => {
    expect(codeDimension(input([doneTask('a', 0, 5, { lines: null }), task('b')])).value).toBeNull();
    const reverted = doneTask('a', 0, 5, { lines: lines({ code: [5, 5] }) });
    expect(codeDimension(input([reverted, task('b')])).value).toBe(0.5);
  });
});

describe('git dimension', () => {
  it('counts tasks whose merge carries their Task trailer', () => {
    const tasks = [doneTask('a', 0, 5), doneTask('b', 5, 5), task('c'), task('d')];
    const d = gitDimension(input(tasks));
    expect(d.value).toBe(0.5);
    expect(d.inputs).toMatchObject({ merged_tasks: 2, commits: 2, merges: 2 });
  });

  it('says no data with no commit on the branch', () => {
    expect(gitDimension(input([task('a', { attempts: [attempt(0, null, 'running')] })])).value).toBeNull();
  });
});

describe('quality dimension', () => {
  it('averages acceptance pass rate and test share against its target', () => {
    const tasks = [
      doneTask('a', 0, 5, { lines: lines({ code: [80, 0], test: [25, 0] }) }), // test share 20/100
      task('b', { state: 'failed', attempts: [attempt(0, 3, 'failed', { checked: true })] }),
    ];
    // acceptance 1/2, tests 0.2 / 0.25 = 0.8 → 0.65
    expect(qualityDimension(input(tasks)).value).toBe(0.65);
  });

  it('counts integration once the milestone landed', () => {
    const base = input([doneTask('a', 0, 5, { lines: null })]);
    base.milestone.landed = true;
    expect(qualityDimension(base).value).toBe(1);
  });
});

describe('value dimension', () => {
  it('is merged weight over total, without partial credit', () => {
    const tasks = [doneTask('a', 0, 5, { weight: 3 }), task('b', { state: 'running', marker: 0.9 })];
    expect(valueDimension(tasks).value).toBe(0.75);
  });
});

describe('a milestone that never ran', () => {
  it('says no data in every dimension', () => {
    const dims = allDimensions(input([task('a'), task('b')]));
    for (const d of Object.values(dims)) {
      expect(d.value).toBeNull();
      expect(d.explanation).toMatch(/no data/);
    }
  });
});
