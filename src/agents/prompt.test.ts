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
