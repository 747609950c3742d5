import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptRow } from '../store/types.js';
import { agentHealth, agentHealthLine } from './agent-health.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function attempt(
  agent: string,
  n: number,
  state: string,
  ended: string | null,
  log = '/nonexistent',
): AttemptRow {
  return {
    milestone: '001',
    task: `t${n}`,
    attempt: 1,
    run: 'r',
    agent,
    state,
    pid: null,
    log_file: log,
    head: null,
    exit_code: null,
    signal: null,
    reason: null,
    started_at: '2026-01-01T00:00:00Z',
    ended_at: ended,
    activity: null,
  };
}

describe('agent health', () => {
  it('counts outcomes per profile, newest last, and the output age of running attempts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cairn-health-'));
    dirs.push(dir);
    const log = path.join(dir, 't9.1.log');
    writeFileSync(log, 'working\n');
    const now = Date.parse('2026-01-01T01:00:00Z');
    utimesSync(log, new Date(now - 42_000), new Date(now - 42_000));
    const rows = [
      attempt('claude', 1, 'succeeded', '2026-01-01T00:10:00Z'),
      attempt('claude', 2, 'failed', '2026-01-01T00:20:00Z'),
      attempt('claude', 3, 'succeeded', '2026-01-01T00:15:00Z'),
      attempt('claude', 9, 'running', null, log),
      attempt('codex', 4, 'interrupted', '2026-01-01T00:05:00Z'),
    ];
    const [claude, codex] = agentHealth(rows, true, now);
    expect(claude).toEqual({
      agent: 'claude',
      running: 1,
      output_age_s: 42,
      succeeded: 2,
      failed: 1,
      interrupted: 0,
      recent: ['ok', 'ok', 'failed'],
    });
    expect(agentHealthLine(claude!)).toBe(
      'agent claude: 1 running (last output 42 s ago), 2 succeeded, 1 failed, 0 interrupted · last 3: ++x',
    );
    expect(codex).toMatchObject({ running: 0, output_age_s: null, interrupted: 1 });
  });

  it('counts no attempt as running when no run is live (they belonged to a run that died)', () => {
    expect(agentHealth([attempt('a', 1, 'running', null)], false)[0]).toMatchObject({ running: 0 });
  });
});
