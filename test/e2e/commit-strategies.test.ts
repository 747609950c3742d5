import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, git } from './helpers.js';
import { setupScenario } from './scenarios.js';

afterAll(cleanupTemp);

/** Subjects and Progress trailers of a task branch's own commits, oldest first. */
function history(root: string, task: string): { subject: string; progress: string }[] {
  const out = git(root, [
    'log',
    '--reverse',
    '--format=%s%x1f%(trailers:key=Progress,valueonly,separator=)%x1f%(trailers:key=Task,valueonly,separator=)',
    `main..feature/milestone-001-${task}`,
    '--no-merges',
  ]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\x1f'))
    .filter(([, , owner]) => owner?.trim() === task)
    .map(([subject, progress]) => ({ subject: subject!, progress: (progress ?? '').trim() }));
}

/**
 * A shell function for the agents: waits (up to 20 s) until Cairn committed the file, so the
 * tests do not depend on how fast a loaded machine runs Cairn's timer.
 */
const WAIT_FOR_COMMIT_OF = [
  'committed() {',
  '  i=0',
  '  until git ls-tree --name-only HEAD | grep -qx "$1"; do',
  '    i=$((i+1)); [ $i -gt 200 ] && { echo "no commit of $1"; exit 1; }',
  '    sleep 0.1',
  '  done',
  '}',
].join('\n');

describe('commit strategies', () => {
  it('atomic (the default): one commit per task, type inferred from the change', async () => {
    const s = setupScenario({
      spec: {
        title: 'Atomic',
        tasks: [{ id: 'guide', files: ['docs/**'] }, { id: 'code', depends_on: ['guide'] }, { id: 'tests' }],
      },
      agentBody: [
        'case "$CAIRN_TASK" in',
        '  guide) mkdir -p docs && echo "# Guide" > docs/guide.md ;;',
        '  code) mkdir -p src && echo "export const x = 1;" > src/x.ts ;;',
        '  tests) mkdir -p test && echo "ok" > test/x.test.ts ;;',
        'esac',
      ].join('\n'),
    });
    expect((await cairn(s.root, ['run', '001'])).code).toBe(0);
    expect(history(s.root, 'guide')).toEqual([
      { subject: 'docs(milestone-001): Task guide', progress: '100%' },
    ]);
    expect(history(s.root, 'code')[0]!.subject).toBe('feat(milestone-001): Task code');
    expect(history(s.root, 'tests')[0]!.subject).toBe('test(milestone-001): Task tests');
    // The task commit names the tasks its merge unblocks; the merge carries the testing notes.
    const body = git(s.root, ['log', '-1', '--format=%B', 'feature/milestone-001-guide']);
    expect(body).toContain('Resolves dependency: code');
    const merge = git(s.root, [
      'log',
      '-1',
      '--merges',
      '--format=%B',
      '--grep=^Task: guide$',
      'milestone/001-atomic',
    ]);
    expect(merge).toContain('Testing notes');
    expect(merge).toContain('Resolves dependency: code');
  });

  it('checkpoint: timed work-in-progress commits while the agent works, then the final one', async () => {
    const s = setupScenario({
      spec: {
        title: 'Checkpoints',
        tasks: [{ id: 'slow', commit: 'checkpoint', commit_every: '300ms' } as never],
      },
      agentBody: [
        WAIT_FOR_COMMIT_OF,
        'echo one > one.ts',
        'committed one.ts',
        'echo 40% > "$CAIRN_PROGRESS_FILE"',
        'echo two > two.ts',
        'committed two.ts',
        'echo three > three.ts',
      ].join('\n'),
    });
    expect((await cairn(s.root, ['run', '001'])).code).toBe(0);
    const commits = history(s.root, 'slow');
    expect(commits.length).toBeGreaterThanOrEqual(3);
    const wip = commits.slice(0, -1);
    expect(
      wip.every((c) =>
        /^chore\(milestone-001\): Task slow \(work-in-progress checkpoint \d+\)$/.test(c.subject),
      ),
    ).toBe(true);
    expect(wip.every((c) => /^\d+%$/.test(c.progress) && c.progress !== '100%')).toBe(true);
    expect(wip.map((c) => c.progress)).toContain('40%');
    expect(commits.at(-1)).toMatchObject({ subject: 'feat(milestone-001): Task slow', progress: '100%' });
    // Nothing is lost or doubled: the merged tree has the three files once.
    expect(git(s.root, ['ls-tree', '--name-only', 'milestone/001-checkpoints'])).toContain('three.ts');
  });

  it('progressive: commits a state only once it stayed the same between two looks', async () => {
    const s = setupScenario({
      spec: {
        title: 'Progressive',
        tasks: [{ id: 'steady', commit: 'progressive', commit_every: '250ms' } as never],
      },
      agentBody: [
        WAIT_FOR_COMMIT_OF,
        'echo one > one.ts',
        'committed one.ts',
        'echo two > two.ts',
        'committed two.ts',
        'echo three > three.ts',
      ].join('\n'),
    });
    expect((await cairn(s.root, ['run', '001'])).code).toBe(0);
    const commits = history(s.root, 'steady');
    const wip = commits.slice(0, -1);
    expect(wip.length).toBeGreaterThanOrEqual(1);
    expect(wip.every((c) => c.subject === 'feat(milestone-001): Task steady (in progress)')).toBe(true);
    expect(commits.at(-1)!.progress).toBe('100%');
    // Each in-progress commit holds a stable state: one file more than the one before.
    const counts = git(s.root, ['log', '--reverse', '--format=%H', 'main..feature/milestone-001-steady'])
      .split('\n')
      .map(
        (sha) =>
          git(s.root, ['ls-tree', '--name-only', sha])
            .split('\n')
            .filter((f) => f.endsWith('.ts')).length,
      );
    expect(counts).toEqual([...counts].sort());
  });

  it('ends with a Progress: 100% commit even when a checkpoint took the last change', async () => {
    const s = setupScenario({
      spec: {
        title: 'Taken',
        tasks: [{ id: 'quick', commit: 'checkpoint', commit_every: '200ms' } as never],
      },
      agentBody: [WAIT_FOR_COMMIT_OF, 'echo only > only.ts', 'committed only.ts'].join('\n'),
    });
    expect((await cairn(s.root, ['run', '001'])).code).toBe(0);
    const commits = history(s.root, 'quick');
    expect(commits.at(-2)!.subject).toMatch(/work-in-progress checkpoint 1/);
    expect(commits.at(-1)).toEqual({ subject: 'feat(milestone-001): Task quick', progress: '100%' });
    expect(
      git(s.root, ['diff-tree', '--no-commit-id', '--name-only', '-r', 'feature/milestone-001-quick']),
    ).toBe('');
  });

  it('rejects an unknown strategy with file:line and a hint (exit 2)', async () => {
    const s = setupScenario({
      spec: { title: 'Bad', tasks: [{ id: 'a', commit: 'sometimes' } as never] },
      agentBody: 'true',
    });
    const result = await cairn(s.root, ['validate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /001-bad\.yaml:\d+:\d+: tasks\[0\]\.commit: unknown commit strategy `sometimes`/,
    );
  });
});
