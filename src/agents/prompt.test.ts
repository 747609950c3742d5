import { describe, expect, it } from 'vitest';
import { buildPrompt } from './prompt.js';

const base = {
  milestone: { id: '001', title: 'Auth', branch: 'milestone/001-auth' },
  task: {
    id: 'login-ui',
    title: 'Login form',
    prompt: 'Build the login form.',
    files: ['ui/**'],
    acceptance: ['npm test -- ui'],
  },
  dependencies: [
    { id: 'db', title: 'Schema', mergeCommit: '0123456789abcdef0123', files: ['db/schema.sql'] },
  ],
  attempt: 1,
};

describe('buildPrompt', () => {
  it('carries the goal, scope, checks and what the dependencies merged', () => {
    const text = buildPrompt(base);
    expect(text).toContain('# Task login-ui: Login form');
    expect(text).toContain('milestone 001 "Auth"');
    expect(text).toContain('Build the login form.');
    expect(text).toContain('- ui/**');
    expect(text).toContain('`npm test -- ui`');
    expect(text).toContain('db (Schema), merge 0123456789ab: db/schema.sql');
    expect(text).not.toContain('Attempt');
  });

  it('tells a retry why the previous attempt failed', () => {
    const text = buildPrompt({
      ...base,
      attempt: 2,
      previousFailure: 'acceptance `npm test` exited with status 1',
    });
    expect(text).toContain('## Attempt 2');
    expect(text).toContain('acceptance `npm test` exited with status 1');
  });

  it('lists the shared-context keys the task follows, unset and conflicting ones too', () => {
    const text = buildPrompt({
      ...base,
      context: [
        { key: 'api.base_url', version: 3, value: 'http://localhost:8080' },
        { key: 'schema', version: 2, value: undefined, conflict: ['a', 'b'] },
        { key: 'later', version: 0, value: undefined },
      ],
    });
    expect(text).toContain('## Shared context');
    expect(text).toContain('- `api.base_url` (v3): "http://localhost:8080"');
    expect(text).toContain('- `schema` (v2): conflicting values "a" | "b"; write the resolution');
    expect(text).toContain('- `later`: not set yet');
    expect(buildPrompt(base)).not.toContain('Shared context');
  });
});

describe('buildPrompt for a phase', () => {
  const design = {
    phase: 'design',
    round: 1,
    agent: 'architect',
    tail: 'wrote the plan',
    files: ['docs/design.md'],
  };

  it('adds the phase after the task, and what earlier phases left at the end', () => {
    const text = buildPrompt({
      ...base,
      phase: {
        name: 'implement',
        round: 2,
        order: ['design', 'implement', 'review'],
        prompt: 'Follow docs/design.md.',
        review: false,
        outputs: [design],
        feedback: { phase: 'review', text: 'the form has no ``` label' },
      },
    });
    expect(text).toContain('## Phase: implement (2 of 3: design → implement → review, round 2)');
    expect(text.indexOf('Follow docs/design.md.')).toBeGreaterThan(text.indexOf('Build the login form.'));
    expect(text).toContain('After the last phase, these commands run');
    expect(text).toContain('### design (architect)\n\nChanged: docs/design.md');
    expect(text).toContain('wrote the plan');
    // The fence is longer than any run of backticks in the review, so the review cannot close it.
    expect(text).toContain('## Review to address (from review)');
    expect(text).toContain('````\nthe form has no ``` label\n````');
    expect(text).not.toContain('REVIEW: approve');
  });

  it('tells a review phase how to answer and what to compare against', () => {
    const text = buildPrompt({
      ...base,
      phase: {
        name: 'review',
        round: 1,
        order: ['design', 'implement', 'review'],
        review: true,
        reviewFile: '.cairn-review.md',
        base: '0123456789abcdef0123',
        sendsBackTo: 'implement',
        outputs: [design],
      },
    });
    expect(text).toContain('`git diff 0123456789ab`');
    expect(text).toContain('`.cairn-review.md` at the root of the worktree');
    expect(text).toContain('a first line `REVIEW: approve`');
    expect(text).toContain('(it goes to the `implement` phase)');
    expect(text).toContain('No verdict counts as a rejection.');
    expect(text).not.toContain('## Review to address');
  });
});
