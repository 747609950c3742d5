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
});
