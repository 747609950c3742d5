import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLeases } from '../../store/read-leases.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { checkLeases, isHolderRunning } from './check-lease.js';
import { releaseLease } from './repair-state.js';

const stateDir = mkdtempSync(path.join(tmpdir(), 'cairn-lease-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
const file = path.join(stateDir, 'state.db');
const repo = { root: stateDir, commonDir: stateDir, stateDir };
const here = hostname();
/** A pid that just exited: as dead as a run killed with SIGKILL. */
const deadPid = spawnSync('true').pid!;

// Leases written as runs write them; `isAlive: () => false` lets each new owner take over.
const store = openSqliteStore(file, { isAlive: () => false, host: here, now: () => 10_000 });
store.acquireLease('001', { run: 'live', pid: process.pid, host: here }, 30_000);
store.acquireLease('002', { run: 'dead', pid: deadPid, host: here }, 30_000);
store.acquireLease('003', { run: 'away', pid: 1, host: 'other-host' }, 30_000);
store.acquireLease('004', { run: 'expired', pid: 1, host: 'other-host' }, 1);
store.close();

describe('lease check', () => {
  const world = { host: here, now: 20_000, isRunning: isHolderRunning };

  it('reports a live holder as fine and a dead or expired one as stale, with a release repair', () => {
    const findings = checkLeases(readLeases(file), world);
    expect(findings.map((f) => [f.status, f.repair?.kind])).toEqual([
      ['ok', undefined],
      ['warn', 'release-lease'],
      ['ok', undefined],
      ['warn', 'release-lease'],
    ]);
    expect(findings[0]?.message).toBe(
      `milestone 001 is held by run live (pid ${process.pid} on ${here}); the process is alive`,
    );
    expect(findings[1]?.message).toBe(
      `stale lease on milestone 002: run dead (pid ${deadPid} on ${here}) holds it but process ${deadPid} is gone`,
    );
    expect(findings[3]?.message).toMatch(/stale lease on milestone 004: .* it expired at /);
  });

  it('says when it could not look, and when nothing is locked', () => {
    expect(checkLeases(undefined, world)).toMatchObject([
      { status: 'warn', message: expect.stringMatching(/not checked/) },
    ]);
    expect(checkLeases([], world)).toMatchObject([
      { status: 'ok', message: 'no milestone is locked by a run' },
    ]);
  });

  it('releases a stale lease and refuses to release a live one', () => {
    expect(releaseLease(repo, file, '002', 'dead')).toMatchObject({
      ok: true,
      message: expect.stringMatching(/released the stale lease of run dead/),
    });
    expect(releaseLease(repo, file, '001', 'live')).toMatchObject({ ok: false });
    expect(readLeases(file).map((lease) => lease.milestone)).toEqual(['001', '003', '004']);
  });
});

describe('a lease whose pid was reused', () => {
  it('is stale when the pid runs another program (its start time differs)', () => {
    const lease = {
      milestone: '001',
      run: 'r',
      pid: process.pid,
      host: here,
      started: 'not-our-start',
      acquired_at: 0,
      expires_at: 0,
    };
    const world = { host: here, now: 0, isRunning: isHolderRunning };
    expect(checkLeases([lease], world)).toMatchObject([
      {
        status: 'warn',
        message: expect.stringMatching(new RegExp(`pid ${process.pid} now belongs to another program`)),
      },
    ]);
  });
});
