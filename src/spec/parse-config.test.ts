import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse-config.js';
import type { Problem } from './types.js';

const FILE = '/repo/.cairn/config.yaml';
const brief = (p: Problem) => `${p.line}:${p.col} ${p.path}: ${p.message}`;
const defaults = {
  agent: 'claude',
  concurrency: 4,
  retries: 1,
  timeoutMs: 1_800_000,
  base: 'main',
  stallMs: 600_000,
  backoff: { baseMs: 2_000, factor: 2, capMs: 60_000 },
};

function problems(text: string): Problem[] {
  const result = parseConfig(text, FILE);
  if (result.ok) throw new Error('expected problems, the config was valid');
  return result.problems;
}

describe('parseConfig', () => {
  it('reads an empty file, or only comments, as all defaults', () => {
    for (const text of ['', '\n', '# nothing yet\n']) {
      expect(parseConfig(text, FILE)).toEqual({ ok: true, value: { defaults, agents: {} } });
    }
  });

  it('reads stall and backoff, keeping unset backoff parts at their defaults', () => {
    const result = parseConfig('defaults: { stall: 90s, backoff: { base: 500ms, cap: 5s } }', FILE);
    expect(result.ok && result.value.defaults).toMatchObject({
      stallMs: 90_000,
      backoff: { baseMs: 500, factor: 2, capMs: 5_000 },
    });
    expect(problems('defaults: { backoff: { bse: 1s } }\n').map(brief)).toEqual([
      expect.stringContaining('defaults.backoff.bse'),
    ]);
  });

  it('reads defaults and agent profiles, keeping unset defaults', () => {
    const text = [
      'defaults:',
      '  agent: coder',
      '  concurrency: 2',
      '  timeout: 1h',
      'agents:',
      '  coder:',
      '    command: [claude, -p, "{prompt}"]',
      '    fallback: [codex]',
      '    retries: 3',
    ].join('\n');
    expect(parseConfig(text, FILE)).toEqual({
      ok: true,
      value: {
        defaults: { ...defaults, agent: 'coder', concurrency: 2, timeoutMs: 3_600_000 },
        agents: {
          coder: { command: ['claude', '-p', '{prompt}'], fallback: ['codex'], retries: 3 },
        },
      },
    });
  });

  it('takes a timeout in seconds', () => {
    const result = parseConfig('defaults: { timeout: 90, retries: 0, base: develop }', FILE);
    expect(result.ok && result.value.defaults).toEqual({
      ...defaults,
      timeoutMs: 90_000,
      retries: 0,
      base: 'develop',
    });
  });

  it('reports every problem with its position and path', () => {
    const found = problems(
      [
        'defaults:',
        '  concurrency: 0',
        '  retries: many',
        '  timeout: forever',
        '  agnet: claude',
        '  base: [main]',
        'agents:',
        '  coder: { command: claude }',
        'profiles: {}',
      ].join('\n'),
    );
    expect(found.map(brief)).toEqual([
      '2:16 defaults.concurrency: expected a whole number ≥ 1, got 0',
      '3:12 defaults.retries: expected a whole number ≥ 0, got a string',
      '4:12 defaults.timeout: expected a duration greater than 0 such as "30m", got `forever`',
      '5:3 defaults.agnet: unknown key `agnet` in the defaults',
      '6:9 defaults.base: expected a string, got a list',
      '8:21 agents.coder.command: expected a list of strings, got a string',
      '9:1 profiles: unknown key `profiles` in a Cairn config',
    ]);
    expect(found[3]?.hint).toBe('did you mean `agent`?');
    expect(found[6]?.hint).toBe('use one of: `defaults`, `agents`, `notify`, `workspace`, `remote`, `pr`');
    expect(found.every((p) => p.file === FILE)).toBe(true);
  });

  it('reports a config that is not a mapping', () => {
    expect(problems('- a\n').map(brief)).toEqual(['1:1 : expected a Cairn config (a mapping), got a list']);
    expect(problems('defaults: 3\n').map(brief)).toEqual([
      '1:11 defaults: expected the defaults (a mapping), got a number',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys', () => {
    expect(problems('defaults: { agent: claude\n').map(brief)).toEqual([
      '2:1 : invalid YAML: flow map in block collection must be sufficiently indented and end with a }',
    ]);
    expect(problems('defaults: {}\ndefaults: {}\n').map(brief)).toEqual([
      '2:1 defaults: duplicate key `defaults`',
    ]);
  });

  it("reads a profile's max_concurrency and refuses anything but a whole number of at least 1", () => {
    const parsed = parseConfig('agents:\n  coder: { command: [claude], max_concurrency: 2 }\n', FILE);
    expect(parsed.ok && parsed.value.agents).toEqual({ coder: { command: ['claude'], maxConcurrency: 2 } });
    const text = [
      'agents:',
      '  a: { command: [claude], max_concurrency: 0 }',
      '  b: { command: [claude], max_concurrency: 1.5 }',
      '  c: { command: [claude], max_concurrency: "3" }',
    ].join('\n');
    expect(problems(text).map((p) => `${brief(p)} (${p.hint})`)).toEqual([
      '2:44 agents.a.max_concurrency: expected a whole number ≥ 1, got 0 (write a whole number ≥ 1)',
      '3:44 agents.b.max_concurrency: expected a whole number ≥ 1, got 1.5 (write a whole number ≥ 1)',
      '4:44 agents.c.max_concurrency: expected a whole number ≥ 1, got a string (remove the quotes: 3)',
    ]);
  });

  it('reads notify as an argument array and refuses an empty one', () => {
    const parsed = parseConfig('notify: ["notify-send", "Cairn", "{message}"]\n', FILE);
    expect(parsed.ok && parsed.value.notify).toEqual(['notify-send', 'Cairn', '{message}']);
    expect(problems('notify: []\n').map(brief)).toEqual(['1:9 notify: notify needs a program to run']);
    expect(problems('notify: "notify-send hi"\n').map(brief)).toEqual([
      '1:9 notify: expected a list of strings, got a string',
    ]);
  });
});
