import type { WatchSnapshot, WatchSource, WatchTask } from './model.js';

const task = (id: string, state: WatchTask['state'], reason: string | null = null): WatchTask => ({
  id,
  title: `Task ${id}`,
  state,
  agent: 'coder',
  attempts: state === 'pending' ? 0 : 1,
  reason,
});

/** For tests: a milestone in the middle of a run, one task in each interesting state. */
export function sampleSnapshot(overrides: Partial<WatchSnapshot> = {}): WatchSnapshot {
  return {
    milestone: '001',
    title: 'Auth',
    waiting: false,
    state: 'running',
    run: { id: 'run-1', state: 'running', live: true, level: 'full', score: 100 },
    overall: 0.4,
    confidence: 0.7,
    tasks: [
      task('schema', 'done'),
      task('api', 'running'),
      task('login', 'failed', 'exit 1'),
      task('docs', 'blocked', 'merge conflict'),
      task('ui', 'pending'),
    ],
    agents: [{ task: 'api', agent: 'coder', attempt: 1, elapsedS: 75, lastLine: 'writing routes' }],
    alerts: [{ level: 'error', text: 'login failed: exit 1' }],
    insights: {
      velocity: 2,
      trend: 'steady',
      p50Seconds: 600,
      p90Seconds: 1200,
      bottleneck: 'docs blocked: merge conflict',
      recommendation: null,
    },
    timeline: [{ seq: 1, at: '2026-01-01T10:00:00.000Z', text: 'schema merged (abc12345)' }],
    ...overrides,
  };
}

/** For tests: a source that serves `snapshot()` and records the actions it was asked for. */
export function fakeSource(snapshot: () => WatchSnapshot, logs: Record<string, string[]> = {}) {
  const acted: [string, string][] = [];
  let reads = 0;
  const source: WatchSource = {
    read: async () => {
      reads++;
      return snapshot();
    },
    logTail: async (task, lines) => (logs[task] ?? []).slice(-lines),
    act: async (action, id) => {
      acted.push([action, id]);
      return `${action}: ${id} is now pending`;
    },
    close: () => undefined,
  };
  return { source, acted, reads: () => reads };
}
