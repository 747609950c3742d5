import { describe, expect, it } from 'vitest';
import { isSafeTaskId } from './ids.js';
import { milestoneJsonSchema, TASK_ID_SCHEMA_PATTERN } from './json-schema.js';
import { AGENT_KEYS, MILESTONE_KEYS, PHASE_KEYS, TASK_KEYS, TASK_TYPES, WORKSPACE_KEYS } from './keys.js';
import { repoPathProblem } from './repo-path.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('milestoneJsonSchema', () => {
  const schema = milestoneJsonSchema() as Json;
  const defs = schema.$defs as Json;

  it('is a closed draft 2020-12 object schema with a title', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('Cairn milestone');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['id', 'title', 'tasks']);
    expect(defs.task.additionalProperties).toBe(false);
    expect(defs.agentProfile.additionalProperties).toBe(false);
  });

  it('describes exactly the keys the parser accepts, each with a description', () => {
    expect(Object.keys(schema.properties)).toEqual([...MILESTONE_KEYS]);
    expect(Object.keys(defs.task.properties)).toEqual([...TASK_KEYS]);
    expect(Object.keys(defs.agentProfile.properties)).toEqual([...AGENT_KEYS]);
    expect(Object.keys(defs.workspace.properties)).toEqual([...WORKSPACE_KEYS]);
    expect(Object.keys(defs.phase.properties)).toEqual([...PHASE_KEYS]);
    const all = [
      defs.phase.properties,
      schema.properties,
      defs.task.properties,
      defs.agentProfile.properties,
      defs.workspace.properties,
    ];
    for (const properties of all) {
      for (const [key, value] of Object.entries(properties as Json)) {
        expect(typeof (value as Json).description, key).toBe('string');
      }
    }
  });

  it('describes the YAML as written: durations as text or seconds, depends_on, types', () => {
    expect(defs.task.properties.timeout).toMatchObject({ $ref: '#/$defs/duration' });
    expect(defs.duration.oneOf.map((s: Json) => s.type)).toEqual(['number', 'string']);
    expect(defs.task.properties.depends_on.items).toEqual({ type: 'string', minLength: 1 });
    expect(defs.task.properties.type.enum).toEqual([...TASK_TYPES]);
    expect(JSON.stringify(schema)).not.toContain('timeoutMs');
  });

  it('uses id patterns that agree with the parser', () => {
    expect(new RegExp(schema.properties.id.pattern).test('001')).toBe(true);
    expect(new RegExp(schema.properties.id.pattern).test('A')).toBe(false);
    const pattern = new RegExp(TASK_ID_SCHEMA_PATTERN);
    for (const id of ['a', 'db-schema', 'v1.2', '../x', 'a..b', 'a.', 'x.lock', 'a b', '-x', 'A']) {
      expect(pattern.test(id), id).toBe(isSafeTaskId(id));
    }
  });

  it('refuses the workspace paths the parser refuses for climbing out or being absolute', () => {
    const pattern = new RegExp(defs.workspace.properties.copy.items.pattern);
    for (const value of [
      '.env',
      'config/local.json',
      'a..b',
      '../x',
      'a/../../x',
      '/etc/passwd',
      'C:/x',
      '..',
    ]) {
      const refused = repoPathProblem(value) !== undefined;
      expect(pattern.test(value), value).toBe(!refused);
    }
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
