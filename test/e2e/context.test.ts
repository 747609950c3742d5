import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, tempDir } from './helpers.js';
import { as, busRepo, json, shell } from './bus-helpers.js';
import { setupScenario, type TaskDef } from './scenarios.js';

afterAll(cleanupTemp);

interface Entry {
  key: string;
  version: number;
  value: unknown;
  conflict: boolean;
  clock: Record<string, number>;
  siblings: { version: number; writer: string; value: unknown }[];
}

const WRITERS = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8'];

/** Eight `cairn ctx` processes at once, each the agent of its own task w1…w8. */
async function eightAtOnce(root: string, args: (writer: string) => string[]) {
  const results = await Promise.all(
    WRITERS.map((w) => cairn(root, args(w), { CAIRN_MILESTONE: '001', CAIRN_TASK: w })),
  );
  for (const result of results) expect(result.code, result.stderr).toBe(0);
}

describe('cairn ctx across processes', () => {
  it('8 processes writing one lww key at once: all kept as siblings, lww picks one, a reader resolves them', async () => {
    const root = busRepo(WRITERS);
    await eightAtOnce(root, (w) => ['ctx', 'set', 'owner', JSON.stringify(w)]);
    const entry = json<Entry>(await as(root, 'a', ['ctx', 'get', 'owner', '--json']));
    expect(entry.version).toBe(8);
    expect(entry.siblings.map((s) => s.value).sort()).toEqual(WRITERS);
    expect(WRITERS).toContain(entry.value);
    expect(Object.keys(entry.clock).sort()).toEqual(WRITERS.map((w) => `task:${w}`));
    // task:a read all eight, so its write descends from every one of them.
    const resolved = json<{ outcome: string; superseded: number[]; entry: Entry }>(
      await as(root, 'a', ['ctx', 'set', 'owner', '"a"', '--json']),
    );
    expect(resolved).toMatchObject({ outcome: 'replaced', superseded: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(resolved.entry.siblings).toHaveLength(1);
    const history = json<{ value: string }[]>(await as(root, 'a', ['ctx', 'history', 'owner', '--json']));
    expect(history.map((v) => v.value).sort()).toEqual([...WRITERS, 'a'].sort());
  });

  it('8 processes adding to a merge-set key at once: the resolved value holds all eight', async () => {
    const root = busRepo(WRITERS);
    await as(root, 'a', ['ctx', 'set', 'endpoints', '[]', '--policy', 'merge-set']);
    await eightAtOnce(root, (w) => ['ctx', 'set', 'endpoints', JSON.stringify([`/${w}`])]);
    const entry = json<Entry>(await as(root, 'c', ['ctx', 'get', 'endpoints', '--json']));
    expect(entry.value).toEqual(WRITERS.map((w) => `/${w}`));
    expect(entry.version).toBe(9);
    expect(entry.siblings).toHaveLength(9);
  });

  it('manual conflicts raise an alert in status until a reader writes the resolution; forged and stale clocks', async () => {
    const root = busRepo();
    await as(root, 'a', ['ctx', 'set', 'schema', '"v1"', '--policy', 'manual']);
    await as(root, 'b', ['ctx', 'set', 'schema', '"v2"']);
    const conflict = json<Entry>(await as(root, 'c', ['ctx', 'get', 'schema', '--json']));
    expect(conflict.conflict).toBe(true);
    const status = await cairn(root, ['status', '001']);
    expect(status.stdout).toContain('alert: context key schema has 2 conflicting versions');
    expect(status.stdout).toMatch(/context: 1 keys/);

    const forged = await as(root, 'c', ['ctx', 'set', 'schema', '"v3"', '--clock', '{"task:a": 9}'], 2);
    expect(forged.stderr).toContain('names writes that never happened: task:a@9');
    const badClock = await as(root, 'c', ['ctx', 'set', 'schema', '"v3"', '--clock', 'yesterday'], 2);
    expect(badClock.stderr).toContain('it is not JSON');
    const strict = await as(root, 'a', ['ctx', 'set', 'schema', '"v3"', '--strict'], 2);
    expect(strict.stderr).toMatch(/changed since you read it: version 2 by task:b/);

    await as(root, 'c', ['ctx', 'set', 'schema', '"v1+v2"']);
    const after = await cairn(root, ['status', '001', '--json']);
    expect(JSON.parse(after.stdout).coordination.alerts).toEqual([]);
    expect(json<Entry>(await as(root, 'a', ['ctx', 'get', 'schema', '--json']))).toMatchObject({
      value: 'v1+v2',
      conflict: false,
    });
  });

  it('watch sees writes from another process; bad input is exit 2', async () => {
    const root = busRepo();
    const out = path.join(tempDir(), 'watch.jsonl');
    const watcher = shell(root, 'c', '$CLI ctx watch api --count 1 --timeout 20s --json', out);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await as(root, 'a', ['ctx', 'set', 'api', '"http://localhost:8080"']);
    expect(await watcher.done).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8').trim())).toMatchObject({
      key: 'api',
      version: 1,
      value: 'http://localhost:8080',
    });

    const cases: [string[], RegExp, number][] = [
      [['ctx', 'set', 'k', '{nope'], /value of k is not valid JSON/, 2],
      [['ctx', 'set', 'bad key', '1'], /"bad key" is not a context key/, 2],
      [['ctx', 'set', 'k', '1', '--policy', 'newest'], /argument 'newest' is invalid|Allowed choices/, 2],
      [['ctx', 'set', 'list', '"x"', '--policy', 'merge-set'], /merge-set key holds a JSON array/, 2],
      [['ctx', 'get', 'k', '--task', 'zz'], /milestone 001 has no task "zz"/, 2],
      [['ctx', 'get', 'unset'], /context key unset is not set/, 1],
    ];
    for (const [args, message, code] of cases) {
      const result = await as(root, 'a', args, code);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });
});

describe('the context in attempt prompts', () => {
  it('includes the keys a task follows, and counts the task as a reader', async () => {
    const { root, scratch } = setupScenario({
      spec: { title: 'Context', tasks: [{ id: 'ui', context: ['api.base_url', 'later'] } as TaskDef] },
      agentBody: 'cp "$CAIRN_PROMPT_FILE" "$SCRATCH/prompt.md"\necho ui > ui.txt',
    });
    const set = await cairn(root, [
      'ctx',
      'set',
      'api.base_url',
      '"http://localhost:8080"',
      '--milestone',
      '001',
    ]);
    expect(set.code, set.stderr).toBe(0);
    const run = await cairn(root, ['run', '001']);
    expect(run.code, run.stderr).toBe(0);
    const prompt = readFileSync(path.join(scratch, 'prompt.md'), 'utf8');
    expect(prompt).toContain('## Shared context');
    expect(prompt).toContain('- `api.base_url` (v1): "http://localhost:8080"');
    expect(prompt).toContain('- `later`: not set yet');
    const status = JSON.parse((await cairn(root, ['status', '001', '--json'])).stdout);
    expect(status.coordination.context).toEqual([
      { key: 'api.base_url', task: null, version: 1, readers: 2, onLatest: 2, oldestUnseenMs: null },
    ]);
  }, 60_000);
});
