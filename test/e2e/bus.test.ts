import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, CLI, cleanupTemp, tempDir } from './helpers.js';
import { invocations, setupScenario, statusJson, taskOf } from './scenarios.js';
import { as, busRepo, json, jsonFile, shell } from './bus-helpers.js';

afterAll(cleanupTemp);

interface Msg {
  id: number;
  type: string;
  state: string;
  attempts: number;
  payload: unknown;
  recipient: string;
  error: string | null;
}

const dist = (file: string) => pathToFileURL(path.resolve(path.dirname(CLI), '..', file)).href;

describe('cairn msg across processes', () => {
  it('a consumer killed between receive and ack gets the message again (at-least-once)', async () => {
    const root = busRepo();
    const [id] = json<{ ids: number[] }>(
      await as(root, 'a', ['msg', 'send', 'task:b', '{"job": 1}', '--lease', '1s', '--json']),
    ).ids;
    const out = path.join(tempDir(), 'received.json');
    // The consumer takes the message, then hangs before acking; it is killed there.
    const consumer = shell(root, 'b', '$CLI msg inbox --json && sleep 30', out);
    const [taken] = await jsonFile<Msg[]>(out);
    expect(taken).toMatchObject({ id, attempts: 1, state: 'delivered' });
    process.kill(-consumer.child.pid!, 'SIGKILL');
    await consumer.done;
    const again = json<Msg[]>(await as(root, 'b', ['msg', 'wait', '--timeout', '10s', '--json']));
    expect(again[0]).toMatchObject({
      id,
      attempts: 2,
      payload: { job: 1 },
      error: 'lease ran out on delivery 1',
    });
    await as(root, 'b', ['msg', 'ack', String(id)]);
    const twice = await as(root, 'b', ['msg', 'ack', String(id)], 2);
    expect(twice.stderr).toContain(`message ${id} was already acked`);
  });

  it('exactly-once: duplicate sends collapse, and a consumer dying inside its transaction applies nothing', async () => {
    const root = busRepo();
    const send = () =>
      as(root, 'a', [
        'msg',
        'send',
        'task:b',
        '{"add": 1}',
        '--type',
        'COLLABORATION_REQUEST',
        '--key',
        'req-1',
        '--json',
      ]);
    const sends = (await Promise.all([send(), send(), send()])).map((r) =>
      json<{ ids: number[]; duplicate: boolean }>(r),
    );
    expect(new Set(sends.map((s) => s.ids[0])).size).toBe(1);
    expect(sends.filter((s) => !s.duplicate)).toHaveLength(1);
    const id = sends[0]!.ids[0]!;

    // A consumer that applies its effect, then dies before the transaction commits.
    const script = path.join(tempDir(), 'die-mid-ack.mjs');
    writeFileSync(
      script,
      `const { openCoordination } = await import(${JSON.stringify(dist('bus/coordination.js'))});
const c = openCoordination(process.argv[2], { now: Date.now });
const [m] = c.bus.receive('001', ['task:b'], { leaseMs: 300 });
c.bus.ack('001', ['task:b'], m.id, () => {
  c.context.set({ milestone: '001' }, 'applied', [m.id], { writer: 'task:b', policy: 'merge-set' });
  process.kill(process.pid, 'SIGKILL');
});`,
    );
    const killed = spawnSync(process.execPath, [script, path.join(root, '.git', 'cairn', 'state.db')]);
    expect(killed.signal).toBe('SIGKILL');
    const none = await as(root, 'b', ['ctx', 'get', 'applied'], 1);
    expect(none.stderr).toContain('context key applied is not set');

    // The message comes back; this consumer's effect commits with its ack, once.
    const [again] = json<Msg[]>(await as(root, 'b', ['msg', 'wait', '--timeout', '10s', '--json']));
    expect(again).toMatchObject({ id, attempts: 2 });
    await as(root, 'b', ['msg', 'ack', String(id), '--set', `applied=[${id}]`]);
    const late = await as(
      root,
      'c',
      ['msg', 'ack', String(id), '--as', 'task:b', '--set', 'applied=[999]'],
      2,
    );
    expect(late.stderr).toContain('already acked');
    const history = json<unknown[]>(await as(root, 'b', ['ctx', 'history', 'applied', '--json']));
    expect(history).toHaveLength(1);
  });

  it('dead-letters after max attempts; replay puts it back', async () => {
    const root = busRepo();
    const send = ['msg', 'send', 'c', '"x"', '--lease', '300ms', '--max-attempts', '2', '--json'];
    const [id] = json<{ ids: number[] }>(await as(root, 'a', send)).ids;
    for (let delivery = 1; delivery <= 2; delivery++) {
      const [m] = json<Msg[]>(await as(root, 'c', ['msg', 'wait', '--timeout', '10s', '--json']));
      expect(m).toMatchObject({ id, attempts: delivery });
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    const dead = json<Msg[]>(await as(root, 'a', ['msg', 'dlq', '--json']));
    expect(dead).toEqual([
      expect.objectContaining({ id, state: 'dead', error: 'not acked after 2 deliveries' }),
    ]);
    const nack = await as(root, 'c', ['msg', 'ack', String(id)], 2);
    expect(nack.stderr).toContain('dead-letter queue');
    expect((await as(root, 'a', ['msg', 'replay', '999'], 2)).stderr).toContain(
      'not in the dead-letter queue: #999',
    );
    expect(
      json<{ replayed: number[] }>(await as(root, 'a', ['msg', 'replay', '--all', '--json'])).replayed,
    ).toEqual([id]);
    const [back] = json<Msg[]>(await as(root, 'c', ['msg', 'inbox', '--json']));
    expect(back).toMatchObject({ id, attempts: 1 });
    await as(root, 'c', ['msg', 'ack', String(id)]);
    expect(json<Msg[]>(await as(root, 'a', ['msg', 'dlq', '--json']))).toEqual([]);
  });

  it('request/response: an answer in time reaches the waiting requester; a late one is recorded and refused', async () => {
    const root = busRepo();
    const dir = tempDir();
    const waiting = shell(
      root,
      'a',
      `$CLI msg send task:b '"ping"' --type COLLABORATION_REQUEST --deadline 20s --wait --json`,
      path.join(dir, 'reply.json'),
    );
    const [request] = json<Msg[]>(await as(root, 'b', ['msg', 'wait', '--timeout', '10s', '--json']));
    await as(root, 'b', ['msg', 'reply', String(request!.id), '"pong"']);
    expect(await waiting.done).toBe(0);
    expect(await jsonFile<Msg>(path.join(dir, 'reply.json'))).toMatchObject({
      payload: 'pong',
      type: 'REPLY',
    });

    const slow = shell(
      root,
      'a',
      `$CLI msg send task:b '"ping"' --type COLLABORATION_REQUEST --deadline 1s --wait`,
      path.join(dir, 'slow.txt'),
    );
    const [second] = json<Msg[]>(await as(root, 'b', ['msg', 'wait', '--timeout', '10s', '--json']));
    expect(await slow.done).toBe(1); // told it timed out
    const late = await as(root, 'b', ['msg', 'reply', String(second!.id), '"pong"'], 2);
    expect(late.stderr).toMatch(
      /deadline passed at .*recorded as late and the requester was told it timed out/,
    );
    expect(json<Msg[]>(await as(root, 'a', ['msg', 'inbox', '--peek', '--json']))).toEqual([]);
  });

  it('multicasts to a group, broadcasts, publishes to topics; best effort with no listener is dropped', async () => {
    const root = busRepo();
    await Promise.all([
      as(root, 'b', ['msg', 'subscribe', 'group:review']),
      as(root, 'c', ['msg', 'subscribe', 'group:review']),
    ]);
    const group = json<{ recipients: string[] }>(
      await as(root, 'a', ['msg', 'send', 'group:review', '1', '--json']),
    );
    expect(group.recipients).toEqual(['task:b', 'task:c']);
    const all = json<{ recipients: string[] }>(await as(root, 'c', ['msg', 'send', 'all', '2', '--json']));
    expect(all.recipients).toEqual(['task:a', 'task:b']);
    const nobody = json<{ dropped: number }>(
      await as(root, 'a', ['msg', 'send', 'topic:news', '3', '--type', 'PROGRESS_UPDATE', '--json']),
    );
    expect(nobody.dropped).toBe(1);
    await as(root, 'b', ['msg', 'subscribe', 'topic:news']);
    await as(root, 'a', ['msg', 'send', 'topic:news', '4', '--type', 'PROGRESS_UPDATE']);
    const got = json<Msg[]>(await as(root, 'b', ['msg', 'inbox', '--json']));
    expect(got.map((m) => m.payload).sort()).toEqual([1, 2, 4]);
  });

  it('refuses bad input with exit 2 and a hint', async () => {
    const root = busRepo();
    const cases: [string[], RegExp][] = [
      [['msg', 'send', 'task:b', '{oops'], /payload is not valid JSON/],
      [['msg', 'send', 'task:nobody', '1'], /unknown recipient task:nobody: milestone has no task "nobody"/],
      [['msg', 'send', 'group:empty', '1'], /group empty has no members/],
      [['msg', 'send', 'task:b', '1', '--type', 'lower'], /not a message type name/],
      [
        ['msg', 'send', 'task:b', '1', '--type', 'TASK_ASSIGNMENT', '--class', 'best-effort'],
        /always delivered at-least-once/,
      ],
      [['msg', 'ack', '41'], /milestone 001 has no message 41/],
      [['msg', 'ack', 'abc'], /"abc" is not a message id/],
      [['msg', 'send', 'task:b', '1', '--lease', 'soon'], /expected a duration/],
      [
        ['msg', 'send', 'orchestrator', '"stuck"', '--type', 'BLOCKER_ALERT', '--as', 'user'],
        /must say which task is blocked/,
      ],
      [['msg', 'subscribe', 'everyone'], /not a group or topic/],
      [['msg', 'inbox', '--as', 'task:zz'], /cannot act as task:zz/],
      [['msg', 'inbox', '--milestone', '404'], /no milestone spec matches|404/],
    ];
    for (const [args, message] of cases) {
      const result = await as(root, 'a', args, 2);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const big = path.join(tempDir(), 'big.json');
    writeFileSync(big, JSON.stringify('x'.repeat(70_000)));
    const oversized = spawnSync('sh', ['-c', `${process.execPath} ${CLI} msg send task:b - < ${big}`], {
      cwd: root,
      env: { ...process.env, CAIRN_TASK: 'a', NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(oversized.status).toBe(2);
    expect(oversized.stderr).toMatch(/the payload is 70002 bytes; the limit is 65536/);
  });
});

describe('the bus during cairn run', () => {
  it('a BLOCKER_ALERT from an agent blocks its task with the reason; the rest of the DAG goes on', async () => {
    const { root, marker, scratch } = setupScenario({
      spec: {
        title: 'Blockers',
        tasks: [{ id: 'stuck' }, { id: 'after', depends_on: ['stuck'] }, { id: 'free' }],
      },
      agentBody: [
        'if [ "$CAIRN_TASK" = stuck ]; then',
        `  ${process.execPath} ${CLI} msg send orchestrator '{"reason": "no API key"}' --type BLOCKER_ALERT`,
        '  exit 1',
        'fi',
        'echo "$CAIRN_TASK" > "$CAIRN_TASK.txt"',
      ].join('\n'),
      configExtra: `notify: [${JSON.stringify(notifier())}, "{task}", "{message}"]\n`,
    });
    const run = await cairn(root, ['run', '001'], { NOTIFY_OUT: path.join(scratch, 'notified.txt') });
    expect(run.code, run.stderr).toBe(1);
    expect(invocations(marker).get('stuck')).toBe(1); // blocked, not retried
    const status = await statusJson(root);
    expect(taskOf(status, 'stuck')).toMatchObject({ state: 'blocked', reason: 'blocker: no API key' });
    expect(taskOf(status, 'after').state).toBe('blocked');
    expect(taskOf(status, 'free').state).toBe('done');
    const alerts = (status as unknown as { coordination: { alerts: { kind: string; message: string }[] } })
      .coordination.alerts;
    expect(alerts).toEqual([
      expect.objectContaining({ kind: 'blocker', subject: 'stuck', message: 'no API key' }),
    ]);
    const text = await cairn(root, ['status', '001']);
    expect(text.stdout).toContain('alert: blocker on stuck: no API key');
    expect(readFileSync(path.join(scratch, 'notified.txt'), 'utf8')).toBe('stuck no API key\n');

    // The orchestrator journaled an assignment per attempt, and progress updates nobody listened to.
    const assigned = json<Msg[]>(
      await cairn(root, ['msg', 'inbox', '--peek', '--as', 'task:free', '--json']),
    );
    expect(assigned).toEqual([
      expect.objectContaining({
        type: 'TASK_ASSIGNMENT',
        payload: expect.objectContaining({ task: 'free', attempt: 1 }),
      }),
    ]);
    const counts = (status as unknown as { coordination: { messages: { dropped: number } } }).coordination
      .messages;
    expect(counts.dropped).toBe(2); // stuck#1 and free#1 ended; the blocker itself is not a progress update
  }, 60_000);
});

/** A notify command that writes its arguments to $NOTIFY_OUT. */
function notifier(): string {
  const file = path.join(tempDir(), 'notify.sh');
  writeFileSync(file, '#!/bin/sh\necho "$@" > "$NOTIFY_OUT"\n', { mode: 0o755 });
  return file;
}
