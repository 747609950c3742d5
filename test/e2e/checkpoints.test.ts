import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp } from './helpers.js';
import { invocations, runExpecting, setupScenario } from './scenarios.js';

afterAll(cleanupTemp);

interface ExplainJson {
  chosen: number | null;
  why: string;
  candidates: {
    id: number;
    reason: string;
    tasks_done: number;
    heads_valid: boolean;
    head: string;
    usable: boolean;
    score: { completeness: number; consistency: number; confidence: number; total: number; band: string };
  }[];
}

describe('checkpoints and cairn resume --explain', () => {
  const scenario = setupScenario({
    spec: {
      title: 'Chain',
      tasks: [{ id: 'a' }, { id: 'b', depends_on: ['a'] }, { id: 'c', depends_on: ['b'] }],
    },
    agentBody: 'echo "$CAIRN_TASK $CAIRN_ATTEMPT" > "$CAIRN_TASK.txt"',
  });

  it('records checkpoints after merges (at most one per 2 s, the rest folded in), and explains the resume point without running anything', async () => {
    await runExpecting(scenario.root, ['run', '001'], 0);
    const before = invocations(scenario.marker);

    const result = await runExpecting(scenario.root, ['resume', '001', '--explain', '--json'], 0);
    const explained = JSON.parse(result.stdout) as ExplainJson;
    const merged = explained.candidates.filter((candidate) => candidate.reason === 'task-merged');
    // The first merge is captured at once; later ones inside the gap fold into one taken at the end
    // (on a slow machine the first capture may already see later merges: then there is one).
    expect(merged.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...merged.map((candidate) => candidate.tasks_done))).toBe(3);
    for (const candidate of explained.candidates) {
      expect(['excellent', 'good', 'acceptable', 'poor']).toContain(candidate.score.band);
      expect(candidate.heads_valid).toBe(true);
      expect(['same', 'ancestor']).toContain(candidate.head);
    }
    const chosen = explained.candidates.find((candidate) => candidate.id === explained.chosen);
    expect(chosen?.tasks_done).toBe(3);
    expect(chosen?.usable).toBe(true);
    expect(explained.why).toMatch(/3 tasks done/);

    const text = await runExpecting(scenario.root, ['resume', '001', '--explain'], 0);
    expect(text.stdout).toMatch(/Resume point: #\d+/);
    expect(text.stdout).toMatch(/task-merged/);
    expect(invocations(scenario.marker)).toEqual(before);
  });

  it('plain resume names its checkpoint and runs the milestone (nothing left to do here)', async () => {
    const result = await cairn(scenario.root, ['resume', '001']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /resuming from checkpoint #\d+ \(task-merged, \w+, score [\d.]+\): 3 task\(s\) done kept/,
    );
    expect(invocations(scenario.marker).get('a')).toBe(1);
  });

  it('resume rebuilds projections that drifted from the journal before it runs', async () => {
    const db = new Database(path.join(scenario.root, '.git', 'cairn', 'state.db'));
    db.prepare(`UPDATE tasks SET state = 'failed', merge_commit = NULL WHERE id = 'b'`).run();
    db.close();
    const result = await cairn(scenario.root, ['resume', '001']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/projections had drifted from the journal in 2 place\(s\).*rebuilt them/);
    // b is done again from the journal: no agent ran for it.
    expect(invocations(scenario.marker).get('b')).toBe(1);
    const status = JSON.parse((await cairn(scenario.root, ['status', '001', '--json'])).stdout) as {
      tasks: { id: string; state: string }[];
    };
    expect(status.tasks.map((t) => t.state)).toEqual(['done', 'done', 'done']);
  });

  it('refuses --json without --explain', async () => {
    const result = await cairn(scenario.root, ['resume', '001', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--explain/);
  });
});
