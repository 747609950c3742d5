import { describe, expect, it } from 'vitest';
import { parseMilestoneSpec } from './parse-milestone.js';
import type { ParseMilestoneOptions } from './parse-milestone.js';
import type { MilestoneSpec, Problem } from './types.js';

const options: ParseMilestoneOptions = { knownAgents: ['claude', 'codex'] };
const brief = (p: Problem) => `${p.line}:${p.col} ${p.path}: ${p.message}`;

/** A spec whose first task starts on line 4 and whose phases start on line 7. */
function withPhases(phases: string[], ...after: string[]): string {
  return (
    [
      'id: "001"',
      'title: Auth',
      'tasks:',
      '  - id: a',
      '    title: A',
      '    phases:',
      ...phases,
      ...after,
    ].join('\n') + '\n'
  );
}

function parsed(text: string): MilestoneSpec {
  const result = parseMilestoneSpec(text, 'm.yaml', options);
  if (!result.ok) throw new Error(result.problems.map(brief).join('\n'));
  return result.value;
}

function problems(text: string): Problem[] {
  const result = parseMilestoneSpec(text, 'm.yaml', options);
  if (result.ok) throw new Error('expected problems, the spec was valid');
  return result.problems;
}

describe('parseMilestoneSpec: phases', () => {
  it('reads phases in order, infers review from the name, and takes the milestone default of rounds', () => {
    const spec = parsed(
      'max_review_rounds: 3\n' +
        withPhases([
          '      - name: design',
          '        agent: codex',
          '        prompt: Write docs/design.md first.',
          '      - name: implement',
          '      - name: review',
          '        agent: claude',
        ]),
    );
    expect(spec.maxReviewRounds).toBe(3);
    expect(spec.tasks[0]).toMatchObject({
      maxReviewRounds: 3,
      phases: [
        { name: 'design', agent: 'codex', prompt: 'Write docs/design.md first.', review: false },
        { name: 'implement', review: false },
        { name: 'review', agent: 'claude', review: true },
      ],
    });
  });

  it('lets a task set its own rounds (0 allowed) and mark any phase as a review, or not', () => {
    const spec = parsed(
      withPhases(
        [
          '      - name: implement',
          '      - name: audit',
          '        review: true',
          '      - name: review',
          '        review: false',
        ],
        '    max_review_rounds: 0',
      ),
    );
    expect(spec.tasks[0]?.maxReviewRounds).toBe(0);
    expect(spec.tasks[0]?.phases?.map((p) => [p.name, p.review])).toEqual([
      ['implement', false],
      ['audit', true],
      ['review', false],
    ]);
  });

  it('leaves tasks without phases as they were', () => {
    const spec = parsed('max_review_rounds: 1\nid: "001"\ntitle: T\ntasks:\n  - id: a\n    title: A\n');
    expect(spec.tasks[0]).not.toHaveProperty('phases');
    expect(spec.tasks[0]).not.toHaveProperty('maxReviewRounds');
  });

  it('reports duplicate names, unknown agents, a review first or after a review, with dot paths', () => {
    const found = problems(
      withPhases([
        '      - name: review',
        '      - name: implement',
        '        agent: cladue',
        '      - name: implement',
        '      - name: check',
        '        review: true',
        '      - name: second-look',
        '        review: true',
      ]),
    );
    expect(found.map(brief)).toEqual([
      '7:15 tasks[0].phases[0].name: a review phase cannot be first: nothing to review yet',
      '9:16 tasks[0].phases[1].agent: unknown agent profile `cladue`',
      '10:15 tasks[0].phases[2].name: duplicate phase `implement`',
      '13:15 tasks[0].phases[4].name: a review phase cannot follow another: nothing to review yet',
    ]);
    expect(found[1]?.hint).toBe('did you mean `claude`?');
    expect(found[2]?.hint).toBe('the first `implement` is at line 8, col 15; give each phase a unique name');
  });

  it('reports bad shapes: names, keys, review flags, empty lists, rounds', () => {
    const found = problems(
      withPhases(
        [
          '      - name: Design Phase',
          '      - name: implement',
          '        reviews: true',
          '      - name: review',
          '        review: "yes"',
          '      - implement',
        ],
        '    max_review_rounds: -1',
        '  - id: b',
        '    title: B',
        '    phases: []',
        '  - id: c',
        '    title: C',
        '    max_review_rounds: 1',
      ),
    );
    expect(found.map(brief)).toEqual([
      '7:15 tasks[0].phases[0].name: `Design Phase` is not a phase name',
      '9:9 tasks[0].phases[1].reviews: unknown key `reviews` in a phase',
      '11:17 tasks[0].phases[2].review: expected true or false, got a string',
      '12:9 tasks[0].phases[3]: expected a phase (a mapping), got a string',
      '13:24 tasks[0].max_review_rounds: expected a whole number ≥ 0, got -1',
      '16:13 tasks[1].phases: the task has an empty list of phases',
      '19:5 tasks[2].max_review_rounds: the task has no review phase',
    ]);
    expect(found[1]?.hint).toBe('did you mean `review`?');
  });
});
