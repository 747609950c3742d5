import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, firstParentMerges, git, writeFiles } from './helpers.js';
import { invocations, runExpecting, setupScenario, specYaml, statusJson, taskOf } from './scenarios.js';

afterAll(cleanupTemp);

describe('cairn run after the spec was edited', () => {
  const scenario = setupScenario({
    spec: { title: 'Replan', tasks: [{ id: 'a' }, { id: 'b', depends_on: ['a'] }] },
    agentBody: 'echo "$CAIRN_TASK $CAIRN_ATTEMPT" > "$CAIRN_TASK.txt"',
  });
  const branch = 'milestone/001-replan';
  const edit = (tasks: { id: string; prompt?: string; depends_on?: string[] }[]) => {
    writeFiles(scenario.root, { '.milestones/001-replan.yaml': specYaml({ title: 'Replan', tasks }) });
    git(scenario.root, ['commit', '--quiet', '-am', 'edit the spec']);
  };

  it('keeps unchanged finished tasks, runs new ones, and lists changed finished ones', async () => {
    await runExpecting(scenario.root, ['run', '001'], 0);
    edit([
      { id: 'a' },
      { id: 'b', depends_on: ['a'], prompt: 'Do b differently.' },
      { id: 'c', depends_on: ['a'] },
    ]);
    const result = await runExpecting(scenario.root, ['run', '001'], 0);
    expect(result.stderr).toMatch(/changed since they were done, kept as done: b/);
    const counts = invocations(scenario.marker);
    expect([counts.get('a'), counts.get('b'), counts.get('c')]).toEqual([1, 1, 1]);
    expect(taskOf(await statusJson(scenario.root), 'c').state).toBe('done');
  });

  it('runs the changed finished tasks again with --rerun-changed', async () => {
    const result = await runExpecting(scenario.root, ['run', '001', '--rerun-changed'], 0);
    expect(result.stderr).toMatch(/running again because their definition changed: b/);
    expect(invocations(scenario.marker).get('b')).toBe(2);
    expect(invocations(scenario.marker).get('a')).toBe(1);
    const b = taskOf(await statusJson(scenario.root), 'b');
    expect(b.state).toBe('done');
    const merges = firstParentMerges(scenario.root, branch).map((merge) => merge.task);
    expect(merges.filter((task) => task === 'b')).toHaveLength(2);
    // Nothing changed since: a further run does nothing.
    await runExpecting(scenario.root, ['run', '001', '--rerun-changed'], 0);
    expect(invocations(scenario.marker).get('b')).toBe(2);
  });
});
