import type { ManualAction } from '../../engine/manual.js';
import type { TaskRow } from '../../store/types.js';

const done: Record<ManualAction, string> = {
  retry: 'will get a fresh attempt',
  skip: 'is skipped; tasks that depend on it may start',
  unblock: 'will be checked and merged as its branch stands, without its agent',
};

/** What a manual action did and the command that continues the milestone. */
export function nextStep(row: TaskRow, action: ManualAction): string {
  return `Task ${row.id} ${done[action]}.\nContinue with: cairn run ${row.milestone}\n`;
}
