import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, createRepo, git, tempDir } from './helpers.js';
import { startCairn, waitFor } from './scenarios.js';

afterAll(cleanupTemp);

/**
 * A stand-in for an agent CLI, run as `node agent.mjs <mode> <prompt file>` in the repository
 * root. It reads the milestone id from the prompt and writes its spec to CAIRN_DRAFT_FILE (or
 * prints it), as the mode says; every call is appended to `calls` next to it.
 */
const AGENT = `
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
const [mode, promptFile] = process.argv.slice(2);
const prompt = readFileSync(promptFile, 'utf8');
const id = /\`id: "([^"]+)"\` exactly/.exec(prompt)[1];
appendFileSync(new URL('./calls', import.meta.url), mode + '\\n');
const valid = 'id: "' + id + '"\\ntitle: Sign in\\ntasks:\\n  - id: login\\n    title: Login form\\n    agent: fixer\\n    files: ["src/**"]\\n';
const invalid = 'id: "' + id + '"\\ntitle: Sign in\\ntasks:\\n  - id: Login UI\\n    title: Login form\\n';
const write = (yaml) => writeFileSync(process.env.CAIRN_DRAFT_FILE, yaml);
switch (mode) {
  case 'fixer':
    write(prompt.includes('is not safe in a git branch name') && prompt.includes('- id: Login UI') ? valid : invalid);
    break;
  case 'invalid':
    write(invalid);
    break;
  case 'stdout':
    console.log('Here is the spec:\\n\`\`\`yaml\\n' + valid + '\`\`\`\\nDone.');
    break;
  case 'touching':
    writeFileSync('README.md', 'changed by the agent\\n');
    write(valid);
    break;
  case 'failing':
    console.log('thinking about it');
    console.error('quota exceeded for this month');
    process.exit(3);
  case 'silent':
    break;
  case 'hanging':
    writeFileSync(new URL('./hanging.pid', import.meta.url), String(process.pid));
    setInterval(() => {}, 1000);
    break;
}
`;

const MODES = ['fixer', 'invalid', 'stdout', 'touching', 'failing', 'silent', 'hanging'];

let agentDir: string;

beforeAll(() => {
  agentDir = tempDir('cairn-draft-agent-');
  writeFileSync(path.join(agentDir, 'agent.mjs'), AGENT);
});

/** A repository after `cairn init`, with a profile per agent mode, all committed. */
async function setup(): Promise<string> {
  const root = createRepo({ 'README.md': '# app\n', 'src/index.ts': 'export {};\n' });
  expect((await cairn(root, ['init'])).code).toBe(0);
  const config = path.join(root, '.cairn', 'config.yaml');
  const profiles = MODES.map(
    (mode) =>
      `  ${mode}:\n    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(agentDir, 'agent.mjs'))}, "${mode}", "{prompt_file}"]\n`,
  ).join('');
  const slow = `  slow:\n    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(agentDir, 'agent.mjs'))}, "hanging", "{prompt_file}"]\n    timeout: 1s\n`;
  writeFileSync(config, readFileSync(config, 'utf8').replace('agents: {}', `agents:\n${profiles}${slow}`));
  git(root, ['add', '-A']);
  git(root, ['commit', '--quiet', '-m', 'set up cairn']);
  return root;
}

const calls = () => {
  const file = path.join(agentDir, 'calls');
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  writeFileSync(file, '');
  return lines.filter(Boolean);
};

const specs = (root: string) =>
  readdirSync(path.join(root, '.milestones')).filter((f) => f.endsWith('.yaml'));
const clean = (root: string) => git(root, ['status', '--porcelain', '--untracked-files=all']);

interface DraftJson {
  file: string;
  written: boolean;
  rounds: number;
  problems: { file: string; line: number; path: string; message: string; hint: string }[];
  draft: string | null;
}

describe('cairn new --from-goal', () => {
  it('feeds the problems of an invalid draft back and writes the valid one with --yes', async () => {
    const root = await setup();
    calls();
    const goal = 'Users can sign in';
    const result = await cairn(root, ['new', '--from-goal', goal, '--agent', 'fixer', '--yes', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as DraftJson;
    expect(json).toEqual({
      file: '.milestones/001-users-can-sign-in.yaml',
      written: true,
      rounds: 2,
      problems: [],
      draft: null,
    });
    expect(calls()).toEqual(['fixer', 'fixer']);
    expect(result.stderr).toContain('round 1/3');
    expect(result.stderr).toContain('round 2/3');
    expect(result.stderr).toContain('+++ b/.milestones/001-users-can-sign-in.yaml');
    const written = readFileSync(path.join(root, json.file), 'utf8');
    expect(written).toContain('- id: login\n');
    expect((await cairn(root, ['validate', '001'])).code).toBe(0);
    // Only the spec changed in the working tree.
    expect(clean(root)).toBe('?? .milestones/001-users-can-sign-in.yaml');
  });

  it('gives up after 3 rounds of invalid drafts: exit 2, the problems, nothing written, the draft kept', async () => {
    const root = await setup();
    calls();
    const result = await cairn(root, [
      'new',
      '--from-goal',
      'Users can sign in',
      '--agent',
      'invalid',
      '--yes',
    ]);
    expect(result.code).toBe(2);
    expect(calls()).toEqual(['invalid', 'invalid', 'invalid']);
    expect(result.stderr).toContain('still invalid after 3 rounds; nothing was written');
    expect(result.stderr).toMatch(/001-users-can-sign-in\.yaml:4:\d+: tasks\[0\]\.id: task id `Login UI`/);
    const draft = /The last draft is kept at (\S+\.yaml)/.exec(result.stderr)?.[1] ?? '';
    expect(readFileSync(draft, 'utf8')).toContain('- id: Login UI');
    expect(specs(root)).toEqual([]);
    expect(clean(root)).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /);

    const json = await cairn(root, [
      'new',
      '--from-goal',
      'Users can sign in',
      '--agent',
      'invalid',
      '--json',
    ]);
    expect(json.code).toBe(2);
    const parsed = JSON.parse(json.stdout) as DraftJson;
    expect(parsed.written).toBe(false);
    expect(parsed.rounds).toBe(3);
    expect(parsed.problems.map((p) => p.path)).toContain('tasks[0].id');
    expect(parsed.draft && existsSync(parsed.draft)).toBe(true);
  });

  it('without a terminal and without --yes shows the diff, writes nothing and exits 1', async () => {
    const root = await setup();
    calls();
    const result = await cairn(root, ['new', '--from-goal', 'Users can sign in', '--agent', 'stdout']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '--- /dev/null\n+++ b/.milestones/001-users-can-sign-in.yaml\n@@ -0,0 +1,7 @@\n+id: "001"\n',
    );
    expect(result.stderr).toContain('from a ```yaml block in its output validates');
    expect(result.stderr).toContain('not written: confirmation needed and stdin is not a terminal');
    expect(result.stderr).toContain('run again with --yes');
    const draft = /The draft is kept at (\S+\.yaml)/.exec(result.stderr)?.[1] ?? '';
    expect(readFileSync(draft, 'utf8')).toContain('- id: login\n');
    expect(specs(root)).toEqual([]);
    expect(clean(root)).toBe('');
  });

  it('numbers the new spec after the existing ones and warns when the agent touched the working tree', async () => {
    const root = await setup();
    expect((await cairn(root, ['new', 'First'])).code).toBe(0);
    const result = await cairn(root, ['new', '--from-goal', 'Export CSV', '--agent', 'touching', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Created .milestones/002-export-csv.yaml (1 round)');
    expect(result.stderr).toContain('warning: the agent changed your working tree in round 1');
    expect(result.stderr).toContain('modified README.md');
    expect(readFileSync(path.join(root, '.milestones', '002-export-csv.yaml'), 'utf8')).toMatch(
      /^id: "002"$/m,
    );
  });

  it.each([
    [['new', '--from-goal', '   ', '--agent', 'fixer'], 'the goal given to --from-goal is empty'],
    [['new', 'Title', '--from-goal', 'A goal', '--agent', 'fixer'], 'either a title or --from-goal'],
    [
      ['new', '--from-goal', 'A goal', '--agent', 'fixr'],
      'Did you mean "fixer"? Known profiles: claude, codex',
    ],
    [['new'], 'needs a title or --from-goal'],
    [['new', 'Title', '--yes'], '--yes only applies with --from-goal'],
  ])('bad input %j: exit 2, a clear error, nothing written', async (args, message) => {
    const root = await setup();
    const result = await cairn(root, args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(specs(root)).toEqual([]);
    expect(clean(root)).toBe('');
  });

  it('an agent command that does not exist is exit 2 before anything runs', async () => {
    const root = await setup();
    const config = path.join(root, '.cairn', 'config.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'agents:\n',
        'agents:\n  ghost:\n    command: ["no-such-agent-cli", "{prompt}"]\n',
      ),
    );
    const result = await cairn(root, ['new', '--from-goal', 'A goal', '--agent', 'ghost']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`no-such-agent-cli` is not on PATH or not executable');
    expect(specs(root)).toEqual([]);
  });

  it.each([
    ['failing', 'exited with status 3 in round 1', 'quota exceeded for this month'],
    ['silent', 'wrote no spec', '(no output)'],
    ['slow', 'timed out after 1s', '(no output)'],
  ])('agent %s: exit 1 with the tail of its output, nothing written', async (agent, message, tail) => {
    const root = await setup();
    const result = await cairn(root, ['new', '--from-goal', 'A goal', '--agent', agent, '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(tail);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(specs(root)).toEqual([]);
    expect(clean(root)).toBe('');
  });

  it('Ctrl-C stops the agent, writes nothing and exits 130', async () => {
    const root = await setup();
    const pidFile = path.join(agentDir, 'hanging.pid');
    writeFileSync(pidFile, '');
    const run = startCairn(root, ['new', '--from-goal', 'A goal', '--agent', 'hanging', '--yes']);
    await waitFor('the agent to start', () => readFileSync(pidFile, 'utf8') !== '');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('interrupted');
    expect(() => process.kill(pid, 0)).toThrow();
    expect(specs(root)).toEqual([]);
    expect(clean(root)).toBe('');
  });
});

describe('cairn new --help', () => {
  it('describes --from-goal, --agent, --yes and --json', async () => {
    const result = await cairn(tempDir('cairn-help-'), ['new', '--help']);
    expect(result.code).toBe(0);
    for (const text of [
      '[title]',
      '--from-goal <goal>',
      '--agent <profile>',
      '--yes',
      '--json',
      'Exit codes',
    ])
      expect(result.stdout).toContain(text);
  });
});
