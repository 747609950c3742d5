import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCoordination, type Coordination } from './coordination.js';
import { MAX_PAYLOAD_BYTES } from './message-types.js';
import type { Directory } from './types.js';

const M = '001';
const directory: Directory = { tasks: ['a', 'b', 'c'], agents: ['coder'] };
let dir: string;
let time: number;
let c: Coordination;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cairn-bus-'));
  time = 1_000_000;
  c = openCoordination(path.join(dir, 'state.db'), { now: () => time, random: () => 0.5 });
});
afterEach(() => {
  c.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (to: string, payload: unknown, extra: Record<string, unknown> = {}) =>
  c.bus.send({ milestone: M, type: 'NOTE', sender: 'task:a', to, payload, ...extra }, directory);

describe('sqlite bus', () => {
  it('delivers a direct message once it is acked, highest priority first', () => {
    send('task:b', 'low');
    send('b', 'high', { priority: 9 });
    const got = c.bus.receive(M, ['task:b']);
    expect(got.map((m) => m.payload)).toEqual(['high', 'low']);
    expect(got[0]).toMatchObject({ state: 'delivered', attempts: 1, sender: 'task:a', recipient: 'task:b' });
    expect(c.bus.receive(M, ['task:b'])).toEqual([]);
    c.bus.ack(M, ['task:b'], got[0]!.id);
    expect(() => c.bus.ack(M, ['task:b'], got[0]!.id)).toThrow(/already acked/);
    expect(() => c.bus.ack(M, ['task:b'], 999)).toThrow(/no message 999/);
    expect(() => c.bus.ack(M, ['task:c'], got[1]!.id)).toThrow(/is for task:b/);
  });

  it('redelivers after the lease runs out, with backoff, then dead-letters; replay revives', () => {
    const { ids } = send('task:b', 'x', { maxAttempts: 2, leaseMs: 1000 });
    expect(c.bus.receive(M, ['task:b'])).toHaveLength(1);
    time += 1001;
    // Lease ran out: back in the queue after half the first backoff window (random 0.5 of 500 ms).
    expect(c.bus.receive(M, ['task:b'])).toHaveLength(0);
    time += 250;
    const again = c.bus.receive(M, ['task:b']);
    expect(again[0]).toMatchObject({ attempts: 2, error: 'lease ran out on delivery 1' });
    time += 1001;
    expect(c.bus.receive(M, ['task:b'])).toHaveLength(0);
    expect(c.bus.deadLetters(M).map((m) => m.id)).toEqual(ids);
    expect(c.bus.deadLetters(M)[0]!.error).toBe('not acked after 2 deliveries');
    expect(() => c.bus.ack(M, ['task:b'], ids[0]!)).toThrow(/dead-letter queue/);
    expect(c.bus.replay(M, 'all')).toEqual(ids);
    expect(c.bus.receive(M, ['task:b'])[0]).toMatchObject({ attempts: 1, state: 'delivered' });
  });

  it('deduplicates by idempotency key', () => {
    const first = send('task:b', 1, { key: 'k1' });
    const second = send('task:b', 2, { key: 'k1' });
    expect(second).toMatchObject({ duplicate: true, ids: first.ids });
    expect(c.bus.receive(M, ['task:b'])).toHaveLength(1);
  });

  it('applies an exactly-once effect with the ack, and not when the ack fails', () => {
    const { ids } = c.bus.send(
      { milestone: M, type: 'COLLABORATION_REQUEST', sender: 'task:a', to: 'task:b', payload: {} },
      directory,
    );
    const effect = () => c.context.set({ milestone: M }, 'count', 1, { writer: 'task:b' });
    c.bus.ack(M, ['task:b'], ids[0]!, effect);
    expect(() => c.bus.ack(M, ['task:b'], ids[0]!, effect)).toThrow(/already acked/);
    expect(c.context.history({ milestone: M }, 'count')).toHaveLength(1);
  });

  it('multicasts to group members, broadcasts to tasks, drops best effort nobody listens to', () => {
    expect(() => send('group:reviewers', 'x')).toThrow(/no members/);
    c.bus.subscribe(M, 'group:reviewers', 'task:b');
    c.bus.subscribe(M, 'group:reviewers', 'task:c');
    expect(send('group:reviewers', 'x').recipients).toEqual(['task:b', 'task:c']);
    expect(send('all', 'y').recipients).toEqual(['task:b', 'task:c']);
    const progress = c.bus.send(
      { milestone: M, type: 'PROGRESS_UPDATE', sender: 'task:a', to: 'topic:progress', payload: 1 },
      directory,
    );
    expect(progress).toMatchObject({ dropped: 1, recipients: [] });
    expect(c.bus.counts(M).dropped).toBe(1);
    c.bus.subscribe(M, 'topic:progress', 'user');
    c.bus.send(
      { milestone: M, type: 'PROGRESS_UPDATE', sender: 'task:a', to: 'topic:progress', payload: 2 },
      directory,
    );
    const [update] = c.bus.receive(M, ['user']);
    expect(update).toMatchObject({ payload: 2, class: 'best-effort', leaseUntil: null });
  });

  it('refuses unknown recipients, bad types, oversized payloads', () => {
    expect(() => send('task:nope', 1)).toThrow(/unknown recipient task:nope/);
    expect(() => send('ghost', 1)).toThrow(/not a task or agent/);
    expect(() => send('agent:other', 1)).toThrow(/no task of this milestone uses agent/);
    expect(() =>
      c.bus.send({ milestone: M, type: 'bad type', sender: 'user', to: 'user', payload: 1 }, directory),
    ).toThrow(/not a message type/);
    expect(() => send('task:b', 'x'.repeat(MAX_PAYLOAD_BYTES))).toThrow(/the limit is/);
  });

  it('measures the payload limit in UTF-8 bytes, quotes included', () => {
    // 'é' is 2 bytes: (limit / 2 - 1) of them and the two quotes fill the limit exactly.
    const fits = 'é'.repeat(MAX_PAYLOAD_BYTES / 2 - 1);
    expect(send('task:b', fits).ids).toHaveLength(1);
    expect(() => send('task:b', `${fits}é`)).toThrow(
      `the payload is ${MAX_PAYLOAD_BYTES + 2} bytes; the limit is ${MAX_PAYLOAD_BYTES}`,
    );
    expect(c.bus.receive(M, ['task:b'])[0]!.payload).toBe(fits);
  });

  it('answers requests before the deadline; a late reply is kept as late and the requester times out', () => {
    const ask = () =>
      c.bus.send(
        {
          milestone: M,
          type: 'COLLABORATION_REQUEST',
          sender: 'task:a',
          to: 'task:b',
          payload: 'q',
          deadlineMs: 5000,
        },
        directory,
      ).ids[0]!;
    const onTime = ask();
    expect(c.bus.takeReply(M, ['task:a'], onTime)).toBeUndefined();
    expect(c.bus.reply(M, ['task:b'], onTime, 'answer').late).toBe(false);
    expect(c.bus.takeReply(M, ['task:a'], onTime)).toMatchObject({ payload: 'answer', type: 'REPLY' });
    const tooSlow = ask();
    time += 5001;
    expect(c.bus.takeReply(M, ['task:a'], tooSlow)).toBe('timeout');
    const { late, reply } = c.bus.reply(M, ['task:b'], tooSlow, 'sorry');
    expect(late).toBe(true);
    expect(reply).toMatchObject({ state: 'late', late: true });
    expect(c.bus.takeReply(M, ['task:a'], tooSlow)).toBe('timeout');
  });

  it('opens the circuit of a recipient that keeps letting leases run out, and closes it on an ack', () => {
    for (let i = 0; i < 3; i++) send('task:c', i, { leaseMs: 100, maxAttempts: 10 });
    expect(c.bus.receive(M, ['task:c'])).toHaveLength(3);
    time += 101;
    expect(c.bus.receive(M, ['task:c'])).toEqual([]); // three failures: open
    const held = send('task:c', 'later');
    expect(held.held).toEqual(['task:c']);
    time += 30_000;
    const probe = c.bus.receive(M, ['task:c']);
    expect(probe).toHaveLength(1); // half-open: one probe
    expect(c.bus.receive(M, ['task:c'])).toEqual([]);
    c.bus.ack(M, ['task:c'], probe[0]!.id);
    expect(c.bus.receive(M, ['task:c']).length).toBeGreaterThan(1);
  });

  it('reads every field of a message alike on each path: receive, peek, message, dead letters, replies', () => {
    const request = c.bus.send(
      {
        milestone: M,
        type: 'COLLABORATION_REQUEST',
        sender: 'task:a',
        to: 'b',
        payload: { q: 'schema?', n: [1, 2] },
        priority: 7,
        deadlineMs: 5000,
        leaseMs: 1000,
        maxAttempts: 1,
        key: 'ask-1',
      },
      directory,
    ).ids[0]!;
    const expected = {
      id: request,
      milestone: M,
      type: 'COLLABORATION_REQUEST',
      sender: 'task:a',
      address: 'task:b',
      recipient: 'task:b',
      payload: { q: 'schema?', n: [1, 2] },
      priority: 7,
      class: 'exactly-once',
      state: 'pending',
      attempts: 0,
      maxAttempts: 1,
      leaseMs: 1000,
      deliverAfter: time,
      leaseUntil: null,
      deadline: time + 5000,
      replyTo: null,
      key: 'ask-1',
      late: false,
      error: null,
      sentAt: time,
      ackedAt: null,
    };
    expect(c.bus.peek(M, ['task:b'])).toEqual([expected]);
    expect(c.bus.message(M, request)).toEqual(expected);
    const delivered = { ...expected, state: 'delivered', attempts: 1, leaseUntil: time + 1000 };
    expect(c.bus.receive(M, ['task:b'])).toEqual([delivered]);
    expect(c.bus.peek(M, ['task:b'])).toEqual([delivered]);
    time += 1001;
    const dead = { ...delivered, state: 'dead', leaseUntil: null, error: 'not acked after 1 deliveries' };
    expect(c.bus.deadLetters(M)).toEqual([dead]);
    expect(c.bus.message(M, request)).toEqual(dead);
    time += 4000;
    const { reply } = c.bus.reply(M, ['task:b'], request, 'late answer');
    expect(reply).toMatchObject({ replyTo: request, state: 'late', late: true, address: 'task:a' });
    expect(reply.error).toMatch(/ms after the deadline/);
  });

  it('acks as any of several identities, naming the one the message was for', () => {
    const { ids } = send('agent:coder', 'for the profile');
    const me = ['task:b', 'agent:coder'];
    const [got] = c.bus.receive(M, me);
    expect(got).toMatchObject({ id: ids[0], recipient: 'agent:coder', state: 'delivered' });
    expect(c.bus.ack(M, me, ids[0]!)).toEqual({ id: ids[0], recipient: 'agent:coder', ackedAt: time });
    expect(c.bus.message(M, ids[0]!)).toMatchObject({ state: 'acked', ackedAt: time, leaseUntil: null });
    expect(() => c.bus.ack(M, ['task:b'], ids[0]!)).toThrow(/is for agent:coder/);
  });
});
