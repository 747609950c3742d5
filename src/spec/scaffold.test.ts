import { describe, expect, it } from 'vitest';
import { parseMilestoneSpec } from './parse-milestone.js';
import { scaffoldMilestone } from './scaffold.js';

describe('scaffoldMilestone', () => {
  it('writes a commented spec that parses cleanly', () => {
    const text = scaffoldMilestone({
      id: '001',
      title: 'User authentication',
      base: 'main',
      agent: 'claude',
    });
    expect(text).toContain('id: "001"\n');
    expect(text).toContain('title: User authentication\n');
    expect(text).toMatch(/^# /);
    const result = parseMilestoneSpec(text, 'new.yaml', { knownAgents: ['claude'] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ id: '001', title: 'User authentication', base: 'main' });
    expect(result.value.tasks.map((t) => [t.id, t.agent, t.depends_on])).toEqual([
      ['first-step', 'claude', []],
      ['second-step', 'claude', ['first-step']],
    ]);
  });

  it.each([
    ['Fix: login #2', 'release/1.x', 'my agent'],
    ['"quoted" and \'single\'', 'true', '123'],
    ['- starts like a list', '1.0', 'null'],
    ['  spaced  ', 'main', 'codex'],
  ])('keeps title %j, base %j and agent %j as written', (title, base, agent) => {
    const text = scaffoldMilestone({ id: 'auth-2', title, base, agent });
    const result = parseMilestoneSpec(text, 'new.yaml', { knownAgents: [agent] });
    expect(result.ok && result.value).toMatchObject({ id: 'auth-2', title, base });
    expect(result.ok && result.value.tasks[0]?.agent).toBe(agent);
  });
});
