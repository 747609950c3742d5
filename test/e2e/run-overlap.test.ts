import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, git, writeFiles } from './helpers.js';
import { setupScenario, type Scenario } from './scenarios.js';

afterAll(cleanupTemp);

/**
 * Each agent marks itself running, waits (up to 20 s) for its partner, if it has one, to be running
 * too, then records which tasks it saw running. No timing assumption: a partner that runs at the
 * same time is always seen; one kept apart never is.
 */
const agentBody = [
  'mkdir -p "$SCRATCH/running"',
  'touch "$SCRATCH/running/$CAIRN_TASK"',
  'partner=$(cat "$SCRATCH/partner-$CAIRN_TASK" 2>/dev/null || true)',
  'if [ -n "$partner" ]; then',
  '  i=0; until [ -e "$SCRATCH/running/$partner" ] || [ $i -ge 200 ]; do i=$((i+1)); sleep 0.1; done',
  'fi',
  'ls "$SCRATCH/running" > "$SCRATCH/seen-$CAIRN_TASK"',
  'mkdir -p src docs',
  'case "$CAIRN_TASK" in',
  '  api) echo api > src/api.ts ;;',
  '  client) echo client > src/client.ts ;;',
  '  guide) echo guide > docs/guide.md ;;',
  '  users) echo users > src/api/users.ts ;;',
  '  orders) echo orders > src/api/orders.ts ;;',
  'esac',
  'sleep 0.3',
  'rm "$SCRATCH/running/$CAIRN_TASK"',
].join('\n');

const overlapTasks = [
  { id: 'api', files: ['src/**'] },
  { id: 'client', files: ['src/client.ts'] },
  { id: 'guide', files: ['docs/**'] },
];

function scenario(partners: Record<string, string>, tasks = overlapTasks): Scenario {
  const s = setupScenario({ spec: { title: 'Overlap', tasks }, agentBody });
  mkdirSync(s.scratch, { recursive: true });
  for (const [task, partner] of Object.entries(partners)) {
    writeFileSync(path.join(s.scratch, `partner-${task}`), partner);
  }
  return s;
}

function seen(s: Scenario, task: string): string[] {
  const file = path.join(s.scratch, `seen-${task}`);
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

describe('conflict-aware scheduling', () => {
  it('cairn plan names the tasks kept apart and why', async () => {
    const s = scenario({});
    const json = JSON.parse((await cairn(s.root, ['plan', '001', '--json'])).stdout) as {
      kept_apart: { tasks: string[]; why: string }[];
    };
    expect(json.kept_apart).toEqual([
      { tasks: ['api', 'client'], why: 'src/** and src/client.ts', kind: 'overlap' },
    ]);
    const text = await cairn(s.root, ['plan', '001']);
    expect(text.stdout).toContain('Kept apart');
    expect(text.stdout).toContain('api / client: src/** and src/client.ts');
  });

  it('never runs tasks whose files overlap at the same time; others still run in parallel', async () => {
    const s = scenario({ api: 'guide', guide: 'api' });
    const run = await cairn(s.root, ['run', '001', '--concurrency', '3']);
    expect(run.code).toBe(0);
    expect(seen(s, 'api')).not.toContain('client');
    expect(seen(s, 'client')).not.toContain('api');
    expect(seen(s, 'guide')).toContain('api');
  });

  it('--allow-overlap runs them side by side', async () => {
    const s = scenario({ api: 'client', client: 'api' });
    const run = await cairn(s.root, ['run', '001', '--concurrency', '3', '--allow-overlap']);
    expect(run.code).toBe(0);
    expect(seen(s, 'api')).toContain('client');
  });
});

describe('hot directories from the history', () => {
  // users and orders do not overlap, but every earlier change to the API also edited
  // src/api/index.ts: agents working next to it are likely to conflict there too.
  const hotTasks = [
    { id: 'users', files: ['src/api/users.ts'] },
    { id: 'orders', files: ['src/api/orders.ts'] },
    { id: 'guide', files: ['docs/**'] },
  ];
  function withHistory(partners: Record<string, string>): Scenario {
    const s = scenario(partners, hotTasks);
    for (let i = 1; i <= 6; i++) {
      writeFiles(s.root, {
        'src/api/index.ts': `export const routes = ${i};\n`,
        [`src/api/r${i}.ts`]: `${i}\n`,
      });
      git(s.root, ['add', '-A']);
      git(s.root, ['commit', '--quiet', '-m', `route ${i}`]);
    }
    return s;
  }

  it('cairn plan keeps apart tasks in the same hot directory, and says why', async () => {
    const s = withHistory({});
    const json = JSON.parse((await cairn(s.root, ['plan', '001', '--json'])).stdout) as {
      kept_apart: { tasks: string[]; why: string; kind: string }[];
    };
    expect(json.kept_apart).toEqual([
      {
        tasks: ['users', 'orders'],
        why: 'both work next to src/api/index.ts (changed in 6 of the last 8 commits; hot directory src/api)',
        kind: 'hot',
      },
    ]);
    expect((await cairn(s.root, ['plan', '001'])).stdout).toContain(
      'users / orders: both work next to src/api/index.ts',
    );
  });

  it('never runs them at the same time; --allow-overlap does', async () => {
    // users waits for guide, which runs beside it; orders, kept from users, never sees it.
    const s = withHistory({ users: 'guide', guide: 'users' });
    expect((await cairn(s.root, ['run', '001', '--concurrency', '3'])).code).toBe(0);
    expect(seen(s, 'users')).toContain('guide');
    expect(seen(s, 'users')).not.toContain('orders');
    expect(seen(s, 'orders')).not.toContain('users');

    const free = withHistory({ users: 'orders', orders: 'users' });
    expect((await cairn(free.root, ['run', '001', '--concurrency', '3', '--allow-overlap'])).code).toBe(0);
    expect(seen(free, 'users')).toContain('orders');
  });

  it('a fresh repository has no hot directory', async () => {
    const s = scenario({}, hotTasks);
    const json = JSON.parse((await cairn(s.root, ['plan', '001', '--json'])).stdout) as {
      kept_apart: unknown[];
    };
    expect(json.kept_apart).toEqual([]);
  });
});
