import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, git } from './helpers.js';
import { setupScenario, type Scenario } from './scenarios.js';

afterAll(cleanupTemp);

interface Dim {
  value: number | null;
  inputs: Record<string, number | null>;
  explanation: string;
}
interface ProgressJson {
  overall: number | null;
  confidence: number;
  dimensions: Record<'task' | 'code' | 'git' | 'quality' | 'value', Dim>;
  insights: {
    velocity: { weighted_tasks_per_hour: number | null; trend: string };
    forecast: { p50_seconds: number | null; explanation: string };
    bottlenecks: { blocked: { task: string }[]; critical_path: string[] };
    recommendations: { rule: string }[];
  };
  frequency: { milestone: { pattern: string; commits: number } };
  history?: { overall: number | null; dimensions: Record<string, number | null> }[];
}

async function progress(root: string, ...extra: string[]): Promise<ProgressJson> {
  const result = await cairn(root, ['progress', '001', '--json', ...extra]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ProgressJson;
}

const WEIGHTS: Record<string, number> = { code: 1, test: 0.8, docs: 0.6, config: 0.4 };
const kindOf = (file: string) =>
  /(^|\/)tests?\/|\.test\.[^/]+$/.test(file)
    ? 'test'
    : /\.md$/.test(file)
      ? 'docs'
      : /\.(json|ya?ml)$/.test(file)
        ? 'config'
        : 'code';

/** Weighted lines of the task commits on a branch, counted with plain git. */
function weightedLinesFromGit(root: string, range: string): { total: number; test: number } {
  let total = 0;
  let test = 0;
  for (const line of git(root, ['log', '--no-merges', '--numstat', '--format=', range]).split('\n')) {
    const [added, deleted, file] = line.split('\t');
    if (!file || added === '-') continue;
    const kind = kindOf(file);
    const lines = WEIGHTS[kind]! * (Number(added) + Number(deleted));
    total += lines;
    if (kind === 'test') test += lines;
  }
  return { total, test };
}

describe('cairn progress', () => {
  let s: Scenario;

  beforeAll(() => {
    s = setupScenario({
      spec: {
        title: 'Progress',
        tasks: [
          { id: 'api', weight: 3, files: ['src/**'] },
          { id: 'tests', weight: 1, depends_on: ['api'], files: ['test/**'] },
          { id: 'docs', weight: 2, files: ['docs/**'], retries: 0 },
        ],
      },
      agentBody: [
        'case "$CAIRN_TASK" in',
        '  api) mkdir -p src && seq 1 12 > src/api.ts ;;',
        '  tests) mkdir -p test && seq 1 5 > test/api.test.ts ;;',
        '  docs) exit 1 ;;',
        'esac',
      ].join('\n'),
    });
  });

  it('says "no data" in every figure before the milestone ran', async () => {
    const p = await progress(s.root);
    expect(p.overall).toBeNull();
    expect(p.confidence).toBe(0);
    for (const d of Object.values(p.dimensions)) {
      expect(d.value).toBeNull();
      expect(d.explanation).toMatch(/^no data/);
    }
    expect(p.insights.forecast.p50_seconds).toBeNull();
    const text = await cairn(s.root, ['progress', '001']);
    expect(text.stdout).toContain('no data');
    expect(text.stdout).not.toMatch(/NaN|undefined/);
  });

  it('measures a run from git and the journal, against plain git counts', async () => {
    const run = await cairn(s.root, ['run', '001']);
    expect(run.code).toBe(1); // docs fails
    const p = await progress(s.root);
    const branch = 'milestone/001-progress';

    // task and value: weight 3 + 1 of 6 done, docs failed.
    expect(p.dimensions.task.value).toBeCloseTo(4 / 6, 3);
    expect(p.dimensions.value.value).toBeCloseTo(4 / 6, 3);

    // git: merges and task commits as git counts them.
    const merges = Number(git(s.root, ['rev-list', '--count', '--merges', `main..${branch}`]));
    const commits = Number(git(s.root, ['rev-list', '--count', '--no-merges', `main..${branch}`]));
    expect(p.dimensions.git.inputs).toMatchObject({ merged_tasks: 2, planned_tasks: 3, merges, commits });
    expect(p.dimensions.git.value).toBeCloseTo(2 / 3, 3);

    // code: finished lines from numstat, weighted by kind; docs (weight 2) still expected.
    const lines = weightedLinesFromGit(s.root, `main..${branch}`);
    expect(p.dimensions.code.inputs.done_lines).toBeCloseTo(lines.total, 1);
    expect(p.dimensions.code.value).toBeCloseTo(lines.total / (lines.total + (lines.total / 4) * 2), 2);

    // quality: two checked attempts passed; test share of weighted lines.
    expect(p.dimensions.quality.inputs).toMatchObject({ acceptance_passed: 2, acceptance_runs: 2 });
    expect(p.dimensions.quality.inputs.test_share).toBeCloseTo(lines.test / lines.total, 2);

    expect(p.overall).toBeGreaterThan(0.5);
    expect(p.overall).toBeLessThan(1);
    expect(p.insights.bottlenecks.blocked.map((b) => b.task)).toEqual(['docs']);
    expect(p.insights.bottlenecks.critical_path).toEqual(['docs']);
    expect(p.insights.recommendations.map((r) => r.rule)).toContain('blocked-task');
    expect(p.frequency.milestone.commits).toBe(commits);
  });

  it('journals a snapshot when the figures change, and --history shows the series', async () => {
    const first = await progress(s.root, '--history');
    expect(first.history!.length).toBeGreaterThanOrEqual(1);
    const again = await progress(s.root, '--history');
    // Nothing changed: no new snapshot.
    expect(again.history!.length).toBe(first.history!.length);
    const last = again.history!.at(-1)!;
    expect(last.overall).toBe(again.overall);
    expect(last.dimensions.task).toBe(again.dimensions.task.value);

    await cairn(s.root, ['skip', '001', 'docs']);
    const skipped = await progress(s.root, '--history');
    expect(skipped.dimensions.task.value).toBe(1);
    expect(skipped.history!.length).toBe(first.history!.length + 1);

    const text = await cairn(s.root, ['progress', '001', '--history']);
    expect(text.stdout).toMatch(/History:\nAT\s+OVERALL/);
  });

  it('names what is wrong with bad input (exit 2)', async () => {
    const unknown = await cairn(s.root, ['progress', '999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/999/);
    const missing = await cairn(s.root, ['progress']);
    expect(missing.code).toBe(2);
  });
});

describe('cairn report', () => {
  let s: Scenario;

  beforeAll(async () => {
    s = setupScenario({
      spec: {
        title: 'Reported',
        tasks: [
          { id: 'one', weight: 2 },
          { id: 'two', depends_on: ['one'] },
        ],
      },
      agentBody: 'echo "$CAIRN_TASK" > "$CAIRN_TASK.md"',
    });
    expect((await cairn(s.root, ['run', '001'])).code).toBe(0);
  });

  it('prints Markdown fit for a pull request: summary, tasks, agents, stats, risks', async () => {
    const md = await cairn(s.root, ['report', '001']);
    expect(md.code).toBe(0);
    for (const heading of [
      '## Milestone 001: Reported',
      '### Summary',
      '### Tasks',
      '### Agents',
      '### Stats',
      '### Risks',
    ]) {
      expect(md.stdout).toContain(heading);
    }
    expect(md.stdout).toMatch(/\| one \| Task one \| done \| 2 \|/);
    expect(md.stdout).toContain('**100%** overall');
  });

  it('writes JSON with the progress figures, tasks and burn-up', async () => {
    const out = await cairn(s.root, ['report', '001', '--format', 'json']);
    const data = JSON.parse(out.stdout) as {
      progress: { overall: number };
      tasks: { id: string; state: string }[];
      burn_up: { merged_weight: number; scope_weight: number }[];
      stats: { merges: number };
    };
    expect(data.progress.overall).toBe(1);
    expect(data.tasks.map((t) => t.state)).toEqual(['done', 'done']);
    expect(data.burn_up.at(-1)).toMatchObject({ merged_weight: 3, scope_weight: 3 });
    expect(data.stats.merges).toBe(2);
  });

  it('writes standalone HTML with SVG charts that needs nothing from the network', async () => {
    const file = path.join(s.scratch, 'report.html');
    const out = await cairn(s.root, ['report', '001', '--format', 'html', '--out', file]);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/wrote .*report\.html/);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).toContain('Burn-up');
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    // The only URL is the SVG namespace, which browsers never fetch.
    expect(html.match(/https?:\/\/[^"]+/g)?.every((url) => url === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('refuses a bad format or an output in a missing directory (exit 2)', async () => {
    const format = await cairn(s.root, ['report', '001', '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/md, json, html/);
    const missing = await cairn(s.root, ['report', '001', '--out', path.join(s.scratch, 'no', 'x.md')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});
