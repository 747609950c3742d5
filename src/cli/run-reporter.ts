import type { RunReporter, TaskStateChange } from '../engine/reporter.js';
import type { TaskState } from '../store/events.js';
import { clock, paint, type Color } from './output.js';

const stateColor: Partial<Record<TaskState, Color>> = {
  running: 'blue',
  merging: 'magenta',
  done: 'green',
  failed: 'red',
  blocked: 'yellow',
};

/**
 * Prints a line per state change on stderr and, on a terminal, keeps one live summary
 * line under them (counts by state) that is redrawn in place.
 */
export function createConsoleReporter(
  stream: NodeJS.WriteStream = process.stderr,
): RunReporter & { finish(): void } {
  const live = stream.isTTY === true;
  const states = new Map<string, TaskState>();
  let summaryShown = false;
  const clearSummary = () => {
    if (summaryShown) stream.write('\r\x1b[2K');
    summaryShown = false;
  };
  const drawSummary = () => {
    if (!live) return;
    const counts = new Map<TaskState, number>();
    for (const state of states.values()) counts.set(state, (counts.get(state) ?? 0) + 1);
    const order: TaskState[] = ['done', 'running', 'merging', 'ready', 'failed', 'blocked'];
    const parts = order.filter((state) => counts.get(state)).map((state) => `${counts.get(state)} ${state}`);
    stream.write(paint('gray', `  ⋯ ${parts.join(' · ')}`, true));
    summaryShown = true;
  };
  const print = (line: string) => {
    clearSummary();
    stream.write(`${line}\n`);
    drawSummary();
  };
  return {
    onTaskState(change: TaskStateChange) {
      states.set(change.task, change.state);
      const color = stateColor[change.state];
      const state = color ? paint(color, change.state.padEnd(8), live) : change.state.padEnd(8);
      const detail = [
        change.agent,
        change.attempt > 0 ? `attempt ${change.attempt}` : '',
        change.commit ? `merge ${change.commit.slice(0, 10)}` : '',
        change.reason ?? '',
      ].filter(Boolean);
      print(`${clock()}  ${change.task.padEnd(20)} ${state} ${detail.join(' · ')}`);
    },
    onNotice(message: string) {
      print(`${clock()}  ${paint('yellow', 'note', live)}: ${message}`);
    },
    finish: clearSummary,
  };
}
