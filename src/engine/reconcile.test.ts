import { afterEach, describe, expect, it } from 'vitest';
import { reconcileWithGit } from './reconcile.js';
import { attemptStarted, plannedStore, removeTestStores } from './test-store.js';

afterEach(removeTestStores);
const storeWith = plannedStore;

describe('reconcileWithGit', () => {
  it('trusts git: a merged task is done whatever the journal says', () => {
    const store = storeWith(['a', 'b']);
    store.append(attemptStarted('a'));
    const { notices } = reconcileWithGit(store, 'm', new Map([['a', 'merge-a']]));
    const [a, b] = store.tasks('m');
    expect(a).toMatchObject({ state: 'done', merge_commit: 'merge-a' });
    expect(b).toMatchObject({ state: 'pending' });
    expect(notices.join()).toContain('merge-a');
    expect(store.attempts('m')).toMatchObject([{ task: 'a', state: 'interrupted' }]);
  });

  it('requeues a done task whose merge left the branch, with a notice', () => {
    const store = storeWith(['a']);
    store.append({ type: 'task.merged', milestone: 'm', task: 'a', commit: 'gone', head: 'h' });
    const { notices } = reconcileWithGit(store, 'm', new Map());
    expect(store.tasks('m')[0]).toMatchObject({ state: 'pending' });
    expect(notices).toHaveLength(1);
  });

  it('sends a checked but unmerged task straight to the merge queue', () => {
    const store = storeWith(['a', 'b']);
    store.append([
      attemptStarted('a'),
      {
        type: 'attempt.ended',
        milestone: 'm',
        task: 'a',
        attempt: 1,
        outcome: 'succeeded',
        exitCode: 0,
        signal: null,
        head: 'head-a',
      },
      { type: 'task.state', milestone: 'm', task: 'a', state: 'merging' },
      attemptStarted('b'),
      {
        type: 'attempt.ended',
        milestone: 'm',
        task: 'b',
        attempt: 1,
        outcome: 'failed',
        exitCode: 1,
        signal: null,
        reason: 'x',
      },
      { type: 'task.state', milestone: 'm', task: 'b', state: 'failed', reason: 'x' },
    ]);
    const { resume } = reconcileWithGit(store, 'm', new Map());
    expect([...resume]).toEqual([['a', { kind: 'merge', head: 'head-a' }]]);
    // A failed task waits for a person (`cairn retry`), it is not requeued by itself.
    expect(store.tasks('m').map((row) => row.state)).toEqual(['pending', 'failed']);
  });

  it('resumes a crash during acceptance with the checks only, and a crash during the agent with its work kept', () => {
    const store = storeWith(['checking', 'agent']);
    store.append([
      attemptStarted('checking'),
      { type: 'attempt.checking', milestone: 'm', task: 'checking', attempt: 1, head: 'h' },
      attemptStarted('agent'),
      { type: 'attempt.pid', milestone: 'm', task: 'agent', attempt: 1, pid: 999_999 },
    ]);
    const { resume } = reconcileWithGit(store, 'm', new Map());
    expect(Object.fromEntries(resume)).toEqual({ checking: { kind: 'check-only' }, agent: { kind: 'keep' } });
    expect(store.attempts('m').map((attempt) => attempt.state)).toEqual(['interrupted', 'interrupted']);
  });

  it('checks, without the agent, finished work committed on the branch that the journal never heard of', () => {
    const store = storeWith(['crashed', 'failed-before']);
    store.append([
      attemptStarted('crashed'),
      attemptStarted('failed-before'),
      {
        type: 'attempt.ended',
        milestone: 'm',
        task: 'failed-before',
        attempt: 1,
        outcome: 'failed',
        exitCode: null,
        signal: null,
        reason: 'acceptance failed',
      },
      attemptStarted('failed-before', 2),
    ]);
    const finished = new Map([
      ['crashed', 1],
      ['failed-before', 1],
    ]);
    const { resume } = reconcileWithGit(store, 'm', new Map(), finished);
    expect(Object.fromEntries(resume)).toEqual({
      crashed: { kind: 'check-only' },
      'failed-before': { kind: 'keep' },
    });
  });

  it('changes nothing when journal and git agree', () => {
    const store = storeWith(['a']);
    store.append({ type: 'task.merged', milestone: 'm', task: 'a', commit: 'c', head: 'h' });
    const before = store.events('m').length;
    reconcileWithGit(store, 'm', new Map([['a', 'c']]));
    expect(store.events('m')).toHaveLength(before);
  });
});
