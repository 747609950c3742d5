import type { CairnEvent } from '../store/events.js';
import type { Store } from '../store/types.js';

/**
 * Appends to the journal that can be gathered into one transaction: a task's merge with the
 * start of the tasks that take its place. Every effect outside the process (an agent, a merge)
 * waits until what was journaled before it is in the journal.
 */
export interface JournalBatch {
  /** Journals now, or with the open batch. */
  append(events: CairnEvent | CairnEvent[]): void;
  /** Runs `fn`, then journals what it appended in one transaction (inside an open batch: with it). */
  batch<T>(fn: () => T): T;
  /** Runs `effect` now, or once the open batch is journaled; rejects if journaling fails. */
  afterAppend<T>(effect: () => Promise<T>): Promise<T>;
}

interface Waiting {
  run(): void;
  fail(error: unknown): void;
}

export function createJournalBatch(store: Pick<Store, 'append'>): JournalBatch {
  let open: CairnEvent[] | undefined;
  let waiting: Waiting[] = [];

  const close = () => {
    const events = open ?? [];
    const effects = waiting;
    open = undefined;
    waiting = [];
    try {
      if (events.length > 0) store.append(events);
    } catch (error) {
      for (const effect of effects) effect.fail(error);
      throw error;
    }
    for (const effect of effects) effect.run();
  };

  return {
    append(events) {
      if (open) open.push(...(Array.isArray(events) ? events : [events]));
      else store.append(events);
    },
    batch(fn) {
      if (open) return fn();
      open = [];
      let result: ReturnType<typeof fn>;
      try {
        result = fn();
      } catch (error) {
        // What was appended before the failure is journaled, as it would have been one by one.
        close();
        throw error;
      }
      close();
      return result;
    },
    afterAppend(effect) {
      if (!open) return effect();
      return new Promise((resolve, reject) => {
        waiting.push({
          run: () => {
            try {
              effect().then(resolve, reject);
            } catch (error) {
              reject(error);
            }
          },
          fail: reject,
        });
      });
    },
  };
}
