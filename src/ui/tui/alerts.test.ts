import { describe, expect, it } from 'vitest';
import type { AgentHealth } from '../../engine/agent-health.js';
import type { AttemptRow } from '../../store/types.js';
import { alertsOf } from './alerts.js';
import type { WatchTask } from './model.js';

const task = (id: string, state: WatchTask['state'], reason: string | null = null): WatchTask => ({
  id,
  title: id,
  state,
  agent: 'coder',
  attempts: 1,
  reason,
});

const attempt = (taskId: string, n: number, reason: string): AttemptRow => ({
  milestone: '001',
  task: taskId,
  attempt: n,
  run: 'r',
  agent: 'coder',
  state: 'failed',
  pid: null,
  log_file: '/nowhere',
  head: null,
  exit_code: null,
  signal: 'SIGKILL',
  reason,
  started_at: '2026-01-01T00:00:00Z',
  ended_at: '2026-01-01T00:01:00Z',
  activity: null,
});

const health = (agent: string, recent: string[]): AgentHealth => ({
  agent,
  running: 0,
  output_age_s: null,
  succeeded: recent.filter((r) => r === 'ok').length,
  failed: recent.filter((r) => r === 'failed').length,
  interrupted: 0,
  recent,
});

describe('alertsOf', () => {
  it('puts blocked and failed tasks and open circuits first, then stalls, scope and run health', () => {
    const alerts = alertsOf({
      tasks: [task('a', 'blocked', 'merge conflict'), task('b', 'running'), task('c', 'done')],
      attempts: [
        attempt('b', 1, 'stalled: no output and no file change for 60s (process group killed)'),
        attempt('b', 2, "agent deleted files outside the task's scope (src/**): README.md"),
        attempt('c', 1, 'stalled: no output'),
      ],
      run: {
        id: 'r',
        state: 'running',
        level: 'conservative',
        score: 60,
        warnings: ['load 9 on 2 cores'],
        reason: 'low memory',
      },
      agents: [health('coder', ['ok', 'failed', 'failed', 'failed'])],
    });
    expect(alerts.map((a) => a.text)).toEqual([
      'a blocked: merge conflict',
      'profile coder: last 3 attempts failed (its circuit is likely open)',
      'stall: b attempt 1 (coder): stalled: no output and no file change for 60s (process group killed)',
      "scope violation: b attempt 2 (coder): agent deleted files outside the task's scope (src/**): README.md",
      'run degraded to conservative: low memory',
      'run health: load 9 on 2 cores',
    ]);
    expect(alerts.map((a) => a.level)).toEqual([
      'error',
      'error',
      'warning',
      'warning',
      'warning',
      'warning',
    ]);
  });

  it('says nothing about a healthy run', () => {
    const alerts = alertsOf({
      tasks: [task('a', 'done')],
      attempts: [],
      run: { id: 'r', state: 'done', level: 'full', score: 100, warnings: [], reason: null },
      agents: [health('coder', ['ok', 'ok'])],
    });
    expect(alerts).toEqual([]);
  });
});
