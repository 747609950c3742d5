import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../spec/index.js';
import type { CairnConfig } from '../../spec/types.js';
import { checkDraft } from './check-draft.js';

let root: string;
let config: CairnConfig;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cairn-check-draft-'));
  mkdirSync(path.join(root, '.milestones'));
  const parsed = parseConfig('', path.join(root, '.cairn', 'config.yaml'));
  if (!parsed.ok) throw new Error('the empty config must be valid');
  config = parsed.value;
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const spec = (id: string) =>
  `# drafted\nid: "${id}"\ntitle: Sign in\ntasks:\n  - id: login\n    title: Login\n`;

/** Writes the draft outside .milestones/, as `cairn new --from-goal` keeps it, and checks it. */
function check(text: string, id = '002') {
  const file = path.join(root, 'draft', '002-sign-in.yaml');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return checkDraft(file, text, { root, config, id });
}

describe('checkDraft', () => {
  it('finds nothing wrong with a valid draft that keeps the chosen id', () => {
    expect(check(spec('002'))).toEqual([]);
  });

  it('reports the problems cairn validate reports, with line and dot path', () => {
    const problems = check(spec('002').replace('id: login', 'id: Login UI'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 5, path: 'tasks[0].id' });
  });

  it('asks for the chosen id when the draft declares another one', () => {
    const problems = check(spec('7'));
    expect(problems).toEqual([
      expect.objectContaining({ line: 2, col: 5, path: 'id', hint: expect.stringContaining('id: "002"') }),
    ]);
  });

  it('reports an id another spec already uses once, as a clash', () => {
    writeFileSync(path.join(root, '.milestones', 'auth.yaml'), spec('9'));
    const problems = check(spec('9'));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('already used by .milestones/auth.yaml');
  });
});
