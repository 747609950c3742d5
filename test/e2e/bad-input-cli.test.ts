import { afterAll, describe, expect, it } from 'vitest';
import {
  addSpec,
  cairn,
  cleanupTemp,
  configure,
  createRepo,
  git,
  writeAgent,
  type CliResult,
} from './helpers.js';

afterAll(cleanupTemp);

const SPEC = 'id: "001"\ntitle: Auth\ntasks:\n  - id: a\n    title: A\n';

function expectNoStack(result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

function readyRepo(): string {
  const root = createRepo();
  configure(root, writeAgent(root, 'agent.sh', 'echo done > "out-$CAIRN_TASK.txt"'));
  addSpec(root, '001-auth', SPEC);
  return root;
}

function snapshot(root: string) {
  return {
    refs: git(root, ['for-each-ref', '--format=%(refname) %(objectname)']),
    status: git(root, ['status', '--porcelain', '--untracked-files=all']),
    worktrees: git(root, ['worktree', 'list', '--porcelain']),
  };
}

describe('command-line usage errors', () => {
  it.each([
    ['unknown option on run', ['run', '001', '--bogus'], /unknown option '--bogus'/],
    ['unknown global option', ['--bogus'], /unknown option '--bogus'/],
    ['unknown command', ['bogus'], /unknown command 'bogus'/],
    ['run without a milestone', ['run'], /missing required argument 'milestone'/],
    ['plan without a milestone', ['plan'], /missing required argument 'milestone'/],
    ['land without a milestone', ['land'], /missing required argument 'milestone'/],
    ['new without a title', ['new'], /needs a title or --from-goal/],
    ['status with two milestones', ['status', '001', '002'], /too many arguments/],
    ['--concurrency 0', ['run', '001', '--concurrency', '0'], /concurrency.*'0'.*at least 1/],
    ['-c 0', ['run', '001', '-c', '0'], /concurrency.*'0'/],
    ['--concurrency abc', ['run', '001', '--concurrency', 'abc'], /concurrency.*'abc'/],
    ['--concurrency 1.5', ['run', '001', '--concurrency', '1.5'], /concurrency.*'1\.5'/],
    ['--concurrency without a value', ['run', '001', '--concurrency'], /argument missing/],
    ['demo --concurrency 0', ['demo', '--concurrency', '0'], /concurrency.*'0'/],
  ])('%s exits 2 with a usage hint and changes nothing', async (_name, args, message) => {
    const root = readyRepo();
    const before = snapshot(root);
    const result = await cairn(root, args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: /m);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/--help/);
    expectNoStack(result);
    expect(snapshot(root)).toEqual(before);
    expect(git(root, ['branch', '--list', 'milestone/*'])).toBe('');
  });

  it('an empty title for new exits 2 and writes no spec', async () => {
    const root = readyRepo();
    const before = snapshot(root);
    const result = await cairn(root, ['new', '   ']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*title is empty/m);
    expect(result.stderr).toMatch(/^hint: /m);
    expectNoStack(result);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('--debug', () => {
  it.each([
    ['before the command', ['--debug', 'validate', '01']],
    ['after the command', ['validate', '01', '--debug']],
  ])('is accepted %s and keeps the error and exit code', async (_name, args) => {
    const root = readyRepo();
    const plain = await cairn(root, ['validate', '01']);
    const debug = await cairn(root, args);
    expect(plain.code).toBe(2);
    expectNoStack(plain);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^error: milestone "01" not found/m);
    expect(debug.stderr).not.toMatch(/unknown option/);
  });

  it('does not change a successful command', async () => {
    const root = readyRepo();
    const result = await cairn(root, ['--debug', 'plan', '001', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ milestone: '001', waves: [['a']] });
  });
});
