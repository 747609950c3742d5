import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, CLI, cleanupTemp, git } from './helpers.js';
import { runExpecting, setupScenario, shellQuote, statusJson, taskOf } from './scenarios.js';

afterAll(cleanupTemp);

interface Alert {
  kind: string;
  subject: string;
  message: string;
}

describe('cairn run: the file monitor watches each running worktree', () => {
  // `api` and `db` run at the same time (they wait for each other); `api` writes its own file and
  // one in db's scope. `db` waits until the bus warns it, saves its inbox and `cairn status`.
  const scenario = setupScenario({
    files: { 'README.md': '# test\n', 'src/api/.keep': '', 'src/db/.keep': '' },
    spec: {
      title: 'Scopes',
      tasks: [
        { id: 'api', files: ['src/api/**'] },
        { id: 'db', files: ['src/db/**'] },
      ],
    },
    agentBody: `
CLI=${shellQuote(CLI)}
touch "$SCRATCH/$1.started"
n=0
until [ -e "$SCRATCH/api.started" ] && [ -e "$SCRATCH/db.started" ]; do
  n=$((n+1)); [ $n -lt 900 ] || exit 9; sleep 0.1
done
case "$1" in
  api)
    printf 'export const api = 1;\\n' > src/api/server.ts
    printf 'line\\n' > src/db/from-api.sql
    n=0
    until [ -e "$SCRATCH/db.warned" ]; do n=$((n+1)); [ $n -lt 900 ] || exit 8; sleep 0.1; done
    ;;
  db)
    printf 'create table t (id int);\\n' > src/db/schema.sql
    n=0
    until node "$CLI" msg inbox --json > "$SCRATCH/db-inbox.json" && grep -q SCOPE_WARNING "$SCRATCH/db-inbox.json"; do
      n=$((n+1)); [ $n -lt 900 ] || exit 7; sleep 0.1
    done
    node "$CLI" status 001 --json > "$SCRATCH/status-during.json"
    node "$CLI" status 001 > "$SCRATCH/status-during.txt"
    touch "$SCRATCH/db.warned"
    ;;
esac`,
  });
  const { root, scratch } = scenario;

  it('warns the task whose scope was written into, raises an alert, and records the activity', async () => {
    await runExpecting(root, ['run', '001', '--concurrency', '2'], 0);

    // The warning reached the running db agent through the bus.
    const inbox = JSON.parse(readFileSync(path.join(scratch, 'db-inbox.json'), 'utf8')) as {
      type: string;
      sender: string;
      payload: { writer: string; owner: string; paths: string[]; message: string };
    }[];
    const warning = inbox.find((message) => message.type === 'SCOPE_WARNING')!;
    expect(warning.sender).toBe('orchestrator');
    expect(warning.payload).toMatchObject({ writer: 'api', owner: 'db', paths: ['src/db/from-api.sql'] });
    expect(warning.payload.message).toContain('src/db/from-api.sql');

    // While both ran, status showed the out-of-scope alert.
    const during = JSON.parse(readFileSync(path.join(scratch, 'status-during.json'), 'utf8')) as {
      coordination?: { alerts: Alert[] };
    };
    const alerts = during.coordination?.alerts ?? [];
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'out-of-scope',
        subject: 'api',
        message: expect.stringContaining('src/db/from-api.sql'),
      }),
    ]);
    expect(readFileSync(path.join(scratch, 'status-during.txt'), 'utf8')).toContain(
      'wrote outside its scope',
    );

    // The activity of each attempt stays on record: files by kind, significance, live lines.
    const status = await statusJson(root);
    const api = taskOf(status, 'api') as ReturnType<typeof taskOf> & { activity?: Record<string, unknown> };
    expect(api.state).toBe('done');
    expect(api.activity).toMatchObject({
      files: 2,
      byKind: { code: 2, test: 0, docs: 0, config: 0 },
      significance: 2,
      outOfScope: 1,
    });
    const db = taskOf(status, 'db') as ReturnType<typeof taskOf> & { activity?: Record<string, unknown> };
    expect(db.activity).toMatchObject({ files: 1, outOfScope: 0 });

    // The work itself merged as usual.
    expect(git(root, ['show', 'milestone/001-scopes:src/db/from-api.sql'])).toBe('line');
  });

  it('settles the out-of-scope alert when the milestone lands', async () => {
    const before = JSON.parse((await cairn(root, ['status', '001', '--json'])).stdout) as {
      coordination?: { alerts: Alert[] };
    };
    expect(before.coordination?.alerts.map((a) => a.kind)).toEqual(['out-of-scope']);
    await runExpecting(root, ['land', '001'], 0);
    const after = JSON.parse((await cairn(root, ['status', '001', '--json'])).stdout) as {
      coordination?: { alerts: Alert[] };
    };
    expect(after.coordination?.alerts ?? []).toEqual([]);
  });
});
