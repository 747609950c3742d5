import type { TaskState } from '../store/events.js';

export interface TaskStateChange {
  task: string;
  state: TaskState;
  agent: string;
  attempt: number;
  reason?: string;
  commit?: string;
}

/** Hooks the run loop calls as things happen; the CLI prints them, tests may collect them. */
export interface RunReporter {
  onTaskState(change: TaskStateChange): void;
  onNotice(message: string): void;
}

export const silentReporter: RunReporter = {
  onTaskState() {},
  onNotice() {},
};
