import { afterEach, describe, expect, it } from 'vitest';
import type { CairnEvent } from '../store/events.js';
import type { Store } from '../store/types.js';
import { createJournalBatch } from './journal-batch.js';
import { attemptStarted, plannedStore, removeTestStores } from './test-store.js';

afterEach(removeTestStores);

const ready = (task: string): CairnEvent => ({ type: 'task.state', milestone: 'm', task, state: 'ready' });

/** The store, with the events of each of its transactions. */
function recording(store: Store): { store: Store; transactions: string[][] } {
  const transactions: string[][] = [];
  return {
    transactions,
    store: {
      ...store,
      append(events) {
        const list = Array.isArray(events) ? events : [events];
        transactions.push(list.map((event) => `${event.type} ${'task' in event ? event.task : ''}`));
        store.append(events);
      },
    },
  };
}

describe('journal batch', () => {
  it('journals at once outside a batch, and a batch (nested ones too) in one transaction', () => {
    const { store, transactions } = recording(plannedStore(['a', 'b']));
    const journal = createJournalBatch(store);
    journal.append(ready('a'));
    const value = journal.batch(() => {
      journal.append(attemptStarted('a'));
      journal.batch(() => journal.append(ready('b')));
      expect(store.tasks('m').map((row) => row.state)).toEqual(['ready', 'pending']);
      return 7;
    });
    expect(value).toBe(7);
    expect(transactions).toEqual([['task.state a'], ['attempt.started a', 'task.state b']]);
    expect(store.tasks('m').map((row) => row.state)).toEqual(['running', 'ready']);
  });

  it('holds an effect asked for in a batch until the batch is in the journal', async () => {
    const store = plannedStore(['a']);
    const journal = createJournalBatch(store);
    const seen: string[] = [];
    const effect = () => {
      seen.push(
        store
          .attempts('m')
          .map((row) => `${row.task}#${row.attempt}`)
          .join(','),
      );
      return Promise.resolve('ran');
    };
    const outside = journal.afterAppend(effect);
    const inside = journal.batch(() => {
      journal.append(attemptStarted('a'));
      return journal.afterAppend(effect);
    });
    expect(await Promise.all([outside, inside])).toEqual(['ran', 'ran']);
    expect(seen).toEqual(['', 'a#1']);
  });

  it('journals what came before a failure in the batch, and rejects the effects when the journal refuses', async () => {
    const store = plannedStore(['a', 'b']);
    const journal = createJournalBatch(store);
    expect(() =>
      journal.batch(() => {
        journal.append(ready('a'));
        throw new Error('scheduler fault');
      }),
    ).toThrow('scheduler fault');
    expect(store.tasks('m')[0]?.state).toBe('ready');

    journal.append(attemptStarted('b'));
    let ran = false;
    let effect: Promise<unknown> | undefined;
    // Attempt 1 of b is already journaled: the attempts table refuses a second one.
    expect(() =>
      journal.batch(() => {
        journal.append(attemptStarted('b'));
        effect = journal.afterAppend(() => {
          ran = true;
          return Promise.resolve();
        });
      }),
    ).toThrow(/UNIQUE/);
    await expect(effect).rejects.toThrow(/UNIQUE/);
    expect(ran).toBe(false);
  });
});
