import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp } from './helpers.js';
import { setupScenario, type Scenario } from './scenarios.js';

afterAll(cleanupTemp);

/** Each agent records when it started and ended (ms), and holds the slot for a while. */
const agentBody = [
  'echo "$CAIRN_TASK start $(date +%s%3N)" >> "$SCRATCH/times"',
  'mkdir -p src docs',
  'case "$CAIRN_TASK" in',
  '  api) echo api > src/api.ts ;;',
  '  client) echo client > src/client.ts ;;',
  '  guide) echo guide > docs/guide.md ;;',
  'esac',
  'sleep 0.8',
  'echo "$CAIRN_TASK end $(date +%s%3N)" >> "$SCRATCH/times"',
].join('\n');

function intervals(s: Scenario): Map<string, [number, number]> {
  const spans = new Map<string, [number, number]>();
  for (const line of readFileSync(path.join(s.scratch, 'times'), 'utf8').trim().split('\n')) {
    const [task, what, at] = line.split(' ');
    const span = spans.get(task!) ?? [0, 0];
    span[what === 'start' ? 0 : 1] = Number(at);
    spans.set(task!, span);
  }
  return spans;
}

const overlapping = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

function scenario(): Scenario {
  return setupScenario({
    spec: {
      title: 'Overlap',
      tasks: [
        { id: 'api', files: ['src/**'] },
        { id: 'client', files: ['src/client.ts'] },
        { id: 'guide', files: ['docs/**'] },
      ],
    },
    agentBody,
    configExtra: '',
  });
}

describe('conflict-aware scheduling', () => {
  it('cairn plan names the tasks kept apart and why', async () => {
    const s = scenario();
    const json = JSON.parse((await cairn(s.root, ['plan', '001', '--json'])).stdout) as {
      kept_apart: { tasks: string[]; why: string }[];
    };
    expect(json.kept_apart).toEqual([{ tasks: ['api', 'client'], why: 'src/** and src/client.ts' }]);
    const text = await cairn(s.root, ['plan', '001']);
    expect(text.stdout).toContain('Kept apart');
    expect(text.stdout).toContain('api / client: src/** and src/client.ts');
  });

  it('never runs tasks whose files overlap at the same time; others still run in parallel', async () => {
    const s = scenario();
    const run = await cairn(s.root, ['run', '001', '--concurrency', '3']);
    expect(run.code).toBe(0);
    const spans = intervals(s);
    expect(overlapping(spans.get('api')!, spans.get('client')!)).toBe(false);
    expect(
      overlapping(spans.get('guide')!, spans.get('api')!) ||
        overlapping(spans.get('guide')!, spans.get('client')!),
    ).toBe(true);
  });

  it('--allow-overlap runs them side by side', async () => {
    const s = scenario();
    const run = await cairn(s.root, ['run', '001', '--concurrency', '3', '--allow-overlap']);
    expect(run.code).toBe(0);
    const spans = intervals(s);
    expect(overlapping(spans.get('api')!, spans.get('client')!)).toBe(true);
  });
});
