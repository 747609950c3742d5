import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp } from './helpers.js';
import { runExpecting, setupScenario } from './scenarios.js';

afterAll(() => cleanupTemp());

describe('cairn watch without a terminal', () => {
  it('prints one snapshot and exits 0, before and after a run; unknown names are exit 2', async () => {
    const { root } = setupScenario({
      spec: { title: 'Snapshot', tasks: [{ id: 'alpha' }, { id: 'beta', depends_on: ['alpha'] }] },
      agentBody: 'echo "$1" > "$1.txt"',
    });

    const before = await cairn(root, ['watch', '001']);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toContain('waiting for a run');
    expect(before.stdout).toMatch(/· alpha\s+· beta/);

    await runExpecting(root, ['run', '001'], 0);
    const after = await cairn(root, ['watch', '--once']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/✓ alpha\s+✓ beta/);
    expect(after.stdout).toContain('2/2 tasks done');
    expect(after.stdout).toContain('beta merged');
    expect(after.stdout).not.toContain('q quit');

    const unknown = await cairn(root, ['watch', '042']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('milestone "042" not found');
    const interval = await cairn(root, ['watch', '001', '--interval', 'often']);
    expect(interval.code).toBe(2);
    expect(interval.stderr).toContain('--interval "often"');
  });
});
