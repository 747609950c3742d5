import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp } from './helpers.js';
import { firstParentMerges } from './helpers.js';
import { setupScenario, startCairn } from './scenarios.js';

afterAll(cleanupTemp);

describe('two cairn run started at the same instant', () => {
  it('exactly one wins; the other exits 3 naming it, and each task merges once', async () => {
    const scenario = setupScenario({
      spec: { title: 'Race', tasks: [{ id: 'a' }, { id: 'b' }] },
      agentBody: 'sleep 0.5; echo "$CAIRN_TASK" > "$CAIRN_TASK.txt"',
    });
    // No state database yet: both also race to create it.
    const first = startCairn(scenario.root, ['run', '001']);
    const second = startCairn(scenario.root, ['run', '001']);
    const results = await Promise.all([first.done, second.done]);
    const codes = results.map((result) => result.code).sort();
    expect(codes).toEqual([0, 3]);
    const loser = results.find((result) => result.code === 3)!;
    expect(loser.stderr).toMatch(/is being run by process \d+/);
    expect(
      firstParentMerges(scenario.root, 'milestone/001-race')
        .map((merge) => merge.task)
        .sort(),
    ).toEqual(['a', 'b']);
  });
});
