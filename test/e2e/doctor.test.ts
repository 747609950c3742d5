import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leaveUnfinishedRegistration } from '../../src/git/test-registration.js';
import { cairn, cleanupTemp, firstParentMerges, type CliResult } from './helpers.js';
import {
  invocations,
  mergeCommits,
  runExpecting,
  setupScenario,
  startCairn,
  statusJson,
  taskOf,
  waitFor,
  type Scenario,
} from './scenarios.js';
import { killGroups } from '../../src/shared/test-process-groups.js';
import { isRunning } from '../../src/engine/doctor/processes.js';

/** Agent process groups this file caused; any still alive at the end are killed by id. */
const agentPids: number[] = [];

afterAll(() => {
  killGroups(agentPids);
  cleanupTemp();
});

/**
 * Four independent tasks. a and b write their file; c and d fail until `$SCRATCH/fixed` exists,
 * and with `$SCRATCH/hang` they first record their pid and wait (at most 60 s) for it instead.
 */
const agentBody = `
case "$1" in
  c|d)
    if [ -f "$SCRATCH/hang" ] && [ ! -f "$SCRATCH/fixed" ]; then
      echo $$ > "$SCRATCH/pid-$1"
      i=0
      while [ ! -f "$SCRATCH/fixed" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
    fi
    test -f "$SCRATCH/fixed" || { echo "$1 is broken"; exit 1; } ;;
esac
echo "$1" > "$1.txt"`;

const spec = {
  title: 'Doctor',
  tasks: [{ id: 'a' }, { id: 'b' }, { id: 'c', retries: 0 }, { id: 'd', retries: 0 }],
};
const branch = 'milestone/001-doctor';

interface DoctorJson {
  ok: boolean;
  findings: { check: string; status: string; message: string; fix: string | null }[];
  repaired: { check: string; ok: boolean; message: string }[];
}

async function doctor(root: string, args: string[], code: number): Promise<DoctorJson> {
  const result = await cairn(root, ['doctor', ...args, '--json']);
  if (result.code !== code) {
    throw new Error(
      `cairn doctor ${args.join(' ')} exited ${result.code}, expected ${code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return JSON.parse(result.stdout) as DoctorJson;
}

const problems = (report: DoctorJson, check: string) =>
  report.findings.filter((f) => f.check === check && f.status !== 'ok');

const stateDb = (root: string) => path.join(root, '.git', 'cairn', 'state.db');

/** Runs the milestone until a and b are merged and c and d failed (exit 1). */
async function runHalfway(scenario: Scenario): Promise<void> {
  await runExpecting(scenario.root, ['run', '001'], 1);
  expect(
    firstParentMerges(scenario.root, branch)
      .map((merge) => merge.task)
      .sort(),
  ).toEqual(['a', 'b']);
}

/** Runs the milestone until a and b are merged while c and d wait, then kills the run with SIGKILL. */
async function killHalfway(scenario: Scenario): Promise<void> {
  writeFileSync(path.join(scenario.scratch, 'hang'), '');
  const run = startCairn(scenario.root, ['run', '001', '--concurrency', '4']);
  await waitFor('a and b merged while c and d wait', async () => {
    if (run.child.exitCode !== null) throw new Error(`the run ended early: ${(await run.done).stderr}`);
    if (!['c', 'd'].every((id) => existsSync(path.join(scenario.scratch, `pid-${id}`)))) return false;
    const status = await statusJson(scenario.root).catch(() => undefined);
    return status !== undefined && ['a', 'b'].every((id) => taskOf(status, id).state === 'done');
  });
  for (const id of ['c', 'd'])
    agentPids.push(Number(readFileSync(path.join(scenario.scratch, `pid-${id}`), 'utf8')));
  run.child.kill('SIGKILL');
  expect((await run.done).signal).toBe('SIGKILL');
}

/** 4 KiB of reproducible noise (a SHA-256 chain of a fixed seed). */
function noise(bytes: number, seed = 'cairn-doctor'): Buffer {
  const chunks: Buffer[] = [];
  let block = createHash('sha256').update(seed).digest();
  for (let size = 0; size < bytes; size += block.length) {
    chunks.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

const damages = {
  deleted(file: string) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  },
  truncated(file: string) {
    truncateSync(file, 100);
  },
  overwritten(file: string) {
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, noise(4096), 0, 4096, Math.floor(size / 2) - 2048);
    closeSync(fd);
  },
};

function expectClearDamageError(result: CliResult, what: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/state database .*state\.db is damaged/);
  expect(result.stderr).toMatch(what);
  expect(result.stderr).toContain('cairn doctor --repair');
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stdout).toBe('');
}

/** After a repair: a and b done with their merges, c and d pending; then a fixed run finishes only those. */
async function expectRebuiltAndResumable(scenario: Scenario): Promise<void> {
  const { root } = scenario;
  const status = await statusJson(root);
  const merges = new Map(mergeCommits(root, branch).map((merge) => [merge.task, merge]));
  for (const id of ['a', 'b']) {
    expect(taskOf(status, id).state).toBe('done');
    expect(taskOf(status, id).merge_commit).toBe(merges.get(id)?.hash);
  }
  for (const id of ['c', 'd']) expect(taskOf(status, id).state).toBe('pending');

  writeFileSync(path.join(scenario.scratch, 'fixed'), '');
  await runExpecting(root, ['run', '001'], 0);
  const counts = invocations(scenario.marker);
  expect(counts.get('a')).toBe(1);
  expect(counts.get('b')).toBe(1);
  expect(counts.get('c')).toBe(2);
  expect(counts.get('d')).toBe(2);
  expect(
    firstParentMerges(root, branch)
      .map((merge) => merge.task)
      .sort(),
  ).toEqual(['a', 'b', 'c', 'd']);
  for (const task of (await statusJson(root)).tasks) expect(task.state).toBe('done');
}

describe('cairn doctor: a state database damaged after half a milestone', () => {
  for (const [kind, damage] of Object.entries(damages)) {
    it(`${kind}: status says so, --repair rebuilds it from git, and the run finishes only the rest`, async () => {
      const scenario = setupScenario({ spec, agentBody });
      const { root } = scenario;
      await runHalfway(scenario);
      damage(stateDb(root));

      const status = await cairn(root, ['status', '001']);
      if (kind === 'deleted') {
        expect(status.code).toBe(0);
        expect(status.stdout).toContain('not started');
      } else {
        expectClearDamageError(status, kind === 'truncated' ? /truncated/ : /quick_check/);
        expectClearDamageError(await cairn(root, ['run', '001']), /damaged/);
      }

      const found = await doctor(root, [], 1);
      expect(found.ok).toBe(false);
      const [database] = problems(found, 'database');
      expect(database?.status).toBe('error');
      expect(database?.message).toMatch(
        kind === 'deleted' ? /does not exist while git holds milestone 001 \(2 merged/ : /is damaged/,
      );
      expect(database?.fix).toContain('--repair');

      const repaired = await doctor(root, ['--repair'], 0);
      expect(repaired.ok).toBe(true);
      expect(repaired.repaired.map((entry) => entry.message).join('\n')).toMatch(
        /rebuilt milestone 001 from milestone\/001-doctor: 2 of 4 task\(s\) done \(a, b\); pending: c, d/,
      );
      expect(repaired.repaired.every((entry) => entry.ok)).toBe(true);
      const asideFiles = readdirSync(path.dirname(stateDb(root))).filter((name) =>
        name.startsWith('state.db.damaged-'),
      );
      expect(asideFiles.length).toBe(kind === 'deleted' ? 0 : 1);

      await expectRebuiltAndResumable(scenario);
    });
  }
});

describe('cairn doctor: a run killed with SIGKILL', () => {
  it('reports the stale lease, the stray agents, a stale index.lock and a half-made worktree registration, and --repair clears them', async () => {
    const scenario = setupScenario({ spec, agentBody });
    const { root } = scenario;
    await killHalfway(scenario);
    const lock = path.join(root, '.git', 'index.lock');
    writeFileSync(lock, '');
    const unfinished = path.join(root, '.git', 'worktrees', 'e');
    leaveUnfinishedRegistration(
      unfinished,
      path.join(realpathSync(root), '.git', 'cairn', 'worktrees', '001', 'e'),
    );

    const found = await doctor(root, [], 1);
    expect(problems(found, 'lease')).toMatchObject([
      {
        status: 'warn',
        message: expect.stringMatching(/stale lease on milestone 001: .* process \d+ is gone/),
      },
    ]);
    expect(problems(found, 'agents')).toMatchObject([
      {
        status: 'error',
        message: expect.stringMatching(/2 agent\(s\) (\(\d+ processes\) )?of run .* \(task c, d;/),
      },
    ]);
    expect(problems(found, 'locks')).toMatchObject([
      { status: 'error', message: expect.stringContaining(lock) },
    ]);
    expect(problems(found, 'worktrees')).toMatchObject([
      { status: 'warn', message: expect.stringContaining(`${unfinished} of `) },
      { status: 'error', message: expect.stringContaining('git cannot list the worktrees') },
    ]);
    expect(problems(found, 'database')).toEqual([]);
    expect(existsSync(lock)).toBe(true);
    for (const pid of agentPids.slice(-2)) expect(isRunning(pid)).toBe(true);

    const text = await cairn(root, ['doctor']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^✗ locks /m);
    expect(text.stdout).toMatch(/^! lease /m);
    expect(text.stdout).toMatch(/error.*Run `cairn doctor --repair`/);

    const repaired = await doctor(root, ['--repair'], 0);
    const messages = repaired.repaired.map((entry) => entry.message).join('\n');
    expect(messages).toMatch(/stopped 2 agent\(s\) .*of run/);
    expect(messages).toMatch(/released the stale lease of run .* on milestone 001/);
    expect(messages).toContain(`deleted the stale lock ${lock}`);
    expect(messages).toContain(`deleted the unfinished registration ${unfinished}`);
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(unfinished)).toBe(false);
    for (const pid of agentPids.slice(-2)) expect(isRunning(pid)).toBe(false);
    expect(repaired.findings.filter((f) => f.status === 'error')).toEqual([]);

    const clean = await doctor(root, [], 0);
    expect(clean.findings.find((f) => f.check === 'lease')?.message).toBe('no milestone is locked by a run');

    writeFileSync(path.join(scenario.scratch, 'fixed'), '');
    await runExpecting(root, ['run', '001'], 0);
    expect(invocations(scenario.marker).get('a')).toBe(1);
    expect(invocations(scenario.marker).get('b')).toBe(1);
    expect(
      firstParentMerges(root, branch)
        .map((merge) => merge.task)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd']);
  });

  it('with its write-ahead log deleted: status says so, --repair stops the agents and rebuilds from git', async () => {
    const scenario = setupScenario({ spec, agentBody });
    const { root } = scenario;
    await killHalfway(scenario);
    const file = stateDb(root);
    expect(existsSync(`${file}-wal`)).toBe(true);
    rmSync(`${file}-wal`);

    expectClearDamageError(await cairn(root, ['status', '001']), /write-ahead log/);
    // Looking does not destroy the evidence: a second look sees the same damage.
    const found = await doctor(root, [], 1);
    expect(problems(found, 'database')[0]?.message).toMatch(/write-ahead log/);
    expect(problems(found, 'agents')[0]?.status).toBe('error');
    expectClearDamageError(await cairn(root, ['status', '001']), /write-ahead log/);

    const repaired = await doctor(root, ['--repair'], 0);
    const messages = repaired.repaired.map((entry) => entry.message).join('\n');
    expect(messages).toMatch(/stopped 2 agent\(s\)/);
    expect(messages).toMatch(/moved the old database aside: .*state\.db\.damaged-\d{8}T\d{6}Z/);
    expect(messages).toMatch(/rebuilt milestone 001 .* 2 of 4 task\(s\) done \(a, b\)/);
    for (const pid of agentPids.slice(-2)) expect(isRunning(pid)).toBe(false);

    await expectRebuiltAndResumable(scenario);
  });
});
