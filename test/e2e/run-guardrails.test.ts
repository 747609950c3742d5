import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, firstParentMerges, git } from './helpers.js';
import {
  findFiles,
  invocations,
  processesMatching,
  runExpecting,
  setupScenario,
  statusJson,
  taskOf,
  treeFiles,
  waitFor,
} from './scenarios.js';

afterAll(cleanupTemp);

describe('cairn run: an agent that exceeds its timeout', () => {
  // Unique arguments so that only this test's processes match.
  const tag = `${31 + Math.floor(Math.random() * 1000) / 1000 + 0.0001}`;
  const helperTag = `${Number(tag) + 1}`;
  const scenario = setupScenario({
    spec: {
      title: 'Timeouts',
      tasks: [
        { id: 'slow', timeout: '1s', retries: 0 },
        { id: 'quick', timeout: '1s' },
      ],
    },
    agentBody: `
case "$1" in
  slow)
    echo "slow starts"
    sleep ${helperTag} &
    sleep ${tag}
    echo never > slow.txt ;;
  *) echo "$1" > "$1.txt" ;;
esac`,
  });
  const { root } = scenario;

  it('fails the attempt with a "timed out" reason, kills its process group, and exits 1', async () => {
    await runExpecting(root, ['run', '001'], 1);
    const status = await statusJson(root);
    const slow = taskOf(status, 'slow');
    expect(slow).toMatchObject({ state: 'failed', attempts: 1, merge_commit: null });
    expect(slow.reason).toMatch(/timed out/);
    expect(taskOf(status, 'quick').state).toBe('done');
    // The agent's sleep and the helper it left in the background are gone.
    await waitFor(
      'the timed-out processes to disappear',
      () => processesMatching(`sleep ${tag}`).length === 0,
      5_000,
    );
    expect(processesMatching(`sleep ${tag}`)).toEqual([]);
    expect(processesMatching(`sleep ${helperTag}`)).toEqual([]);
    expect(processesMatching(scenario.agent)).toEqual([]);
    const log = findFiles(path.join(root, '.git', 'cairn', 'logs'), 'slow.1.log');
    expect(readFileSync(log[0]!, 'utf8')).toContain('slow starts');
    expect(treeFiles(root, 'milestone/001-timeouts')).not.toContain('slow.txt');
  });
});

describe('cairn run: guardrails on what an agent may do', () => {
  const scenario = setupScenario({
    files: {
      'README.md': '# test\n',
      'keep/important.txt': 'do not delete\n',
      'keep/other.txt': 'do not delete either\n',
      'old/legacy.txt': 'may go\n',
      'misc/free.txt': 'nobody claims this\n',
      'src/index.ts': 'export {};\n',
    },
    spec: {
      title: 'Guardrails',
      tasks: [
        { id: 'switcher', retries: 0 },
        { id: 'deleter', files: ['src/**'], retries: 0 },
        { id: 'committer', files: ['src/**'], retries: 0 },
        { id: 'idle' },
        { id: 'pruner', files: ['old/**'] },
        { id: 'unscoped' },
        { id: 'fine', files: ['src/**'] },
      ],
    },
    agentBody: `
case "$1" in
  switcher)
    git checkout -q -b "other-$CAIRN_ATTEMPT"
    echo x > switched.txt ;;
  deleter)
    rm keep/important.txt
    echo y > src/deleter.ts ;;
  committer)
    git rm -q keep/other.txt
    echo z > src/committer.ts
    git add -A
    git commit -q -m "agent's own commit"
    ;;
  idle) ;;
  pruner) rm old/legacy.txt ;;
  unscoped) rm misc/free.txt ;;
  fine) echo fine > src/fine.ts ;;
esac`,
  });
  const { root } = scenario;
  const branch = 'milestone/001-guardrails';

  it('exits 1', async () => {
    await runExpecting(root, ['run', '001', '--concurrency', '3'], 1);
  });

  it('fails an agent that switched its worktree to another branch', async () => {
    const task = taskOf(await statusJson(root), 'switcher');
    expect(task.state).toBe('failed');
    expect(task.reason).toMatch(/switched/);
    expect(task.reason).toContain('other-1');
  });

  it('fails an agent that deleted a tracked file outside its `files` scope, naming the file', async () => {
    const task = taskOf(await statusJson(root), 'deleter');
    expect(task.state).toBe('failed');
    expect(task.reason).toMatch(/outside/);
    expect(task.reason).toContain('keep/important.txt');
  });

  it('also catches such a deletion when the agent committed it itself', async () => {
    const task = taskOf(await statusJson(root), 'committer');
    expect(task.state).toBe('failed');
    expect(task.reason).toMatch(/outside/);
    expect(task.reason).toContain('keep/other.txt');
  });

  it('fails an agent that exits 0 without changing anything, on every attempt', async () => {
    const task = taskOf(await statusJson(root), 'idle');
    expect(task.state).toBe('failed');
    expect(task.attempts).toBe(2);
    expect(task.reason).toMatch(/changed nothing/);
    expect(invocations(scenario.marker).get('idle')).toBe(2);
  });

  it('allows deletions inside the scope, and anywhere when no scope is declared', async () => {
    const status = await statusJson(root);
    expect(taskOf(status, 'pruner').state).toBe('done');
    expect(taskOf(status, 'unscoped').state).toBe('done');
    expect(taskOf(status, 'fine').state).toBe('done');
  });

  it('merges only the good work: protected files survive on the milestone branch', () => {
    expect(
      firstParentMerges(root, branch)
        .map((merge) => merge.task)
        .sort(),
    ).toEqual(['fine', 'pruner', 'unscoped']);
    const files = treeFiles(root, branch);
    expect(files).toEqual(expect.arrayContaining(['keep/important.txt', 'keep/other.txt', 'src/fine.ts']));
    for (const gone of [
      'old/legacy.txt',
      'misc/free.txt',
      'switched.txt',
      'src/deleter.ts',
      'src/committer.ts',
    ]) {
      expect(files).not.toContain(gone);
    }
    // The user's checkout is untouched.
    expect(existsSync(path.join(root, 'keep', 'important.txt'))).toBe(true);
    expect(existsSync(path.join(root, 'old', 'legacy.txt'))).toBe(true);
    expect(git(root, ['status', '--porcelain'])).toBe('');
    expect(git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
  });
});
