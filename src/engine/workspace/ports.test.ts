import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPortPool } from './ports.js';

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const server of servers.splice(0)) server.close();
});

function lockDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-ports-'));
  dirs.push(dir);
  return dir;
}

// A base unlikely to be in use, different on each run of the suite.
const base = () => 45_000 + Math.floor(Math.random() * 400) * 20;
const never = new AbortController().signal;

describe('createPortPool', () => {
  it('hands out disjoint blocks and takes a released one again', async () => {
    const pool = createPortPool({
      base: 50_000,
      count: 10,
      blocks: 3,
      lockDir: lockDir(),
      isFree: async () => true,
    });
    const a = await pool.acquire(never);
    const b = await pool.acquire(never);
    expect([a?.base, b?.base]).toEqual([50_000, 50_010]);
    a?.release();
    a?.release();
    expect((await pool.acquire(never))?.base).toBe(50_000);
  });

  it('makes a task wait while every block is held, says so once, and wakes it on release', async () => {
    const pool = createPortPool({
      base: 50_000,
      count: 5,
      blocks: 1,
      lockDir: lockDir(),
      isFree: async () => true,
      pollMs: 20,
    });
    const first = await pool.acquire(never);
    let waits = 0;
    const second = pool.acquire(never, () => waits++);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(waits).toBe(1);
    first?.release();
    expect((await second)?.base).toBe(50_000);
  });

  it('gives up waiting when the run is interrupted', async () => {
    const pool = createPortPool({
      base: 50_000,
      count: 5,
      blocks: 1,
      lockDir: lockDir(),
      isFree: async () => true,
    });
    await pool.acquire(never);
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort();
    expect(await waiting).toBeUndefined();
  });

  it('skips a block with a port some program listens on (bind test on 127.0.0.1)', async () => {
    const start = base();
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(start + 3, '127.0.0.1', resolve));
    const pool = createPortPool({ base: start, count: 5, blocks: 2, lockDir: lockDir() });
    const lease = await pool.acquire(never);
    expect(lease?.base).toBe(start + 5);
  });

  it('keeps blocks apart between processes through lock files, taking over a dead owner’s', async () => {
    const dir = lockDir();
    writeFileSync(path.join(dir, '50000.lock'), `${process.ppid}\n`);
    writeFileSync(path.join(dir, '50005.lock'), '999999999\n');
    const pool = createPortPool({
      base: 50_000,
      count: 5,
      blocks: 2,
      lockDir: dir,
      isFree: async () => true,
    });
    expect((await pool.acquire(never))?.base).toBe(50_005);
  });
});
