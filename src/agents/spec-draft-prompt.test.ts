import { describe, expect, it } from 'vitest';
import { parseMilestoneSpec } from '../spec/index.js';
import { buildSpecDraftPrompt, formatDraftProblem } from './spec-draft-prompt.js';

const input = {
  goal: '  Users can sign in with GitHub  ',
  id: '004',
  specFile: '.milestones/004-users-can-sign-in-with-github.yaml',
  outputFile: '/state/drafts/004-x/round-1.yaml',
  base: 'trunk',
  defaultAgent: 'coder',
  profiles: [
    { name: 'claude', program: 'claude' },
    { name: 'coder', program: './scripts/agent.sh' },
  ],
  repoEntries: ['package.json', 'src/', 'test/'],
  round: 1,
  rounds: 3,
};

const problem = {
  file: '/state/drafts/004-x/004-users-can-sign-in-with-github.yaml',
  line: 7,
  col: 9,
  path: 'tasks[0].id',
  message: 'task id `Login UI` is not safe in a git branch name',
  hint: 'use lowercase letters, e.g. `login-ui`',
};

/** The ```yaml blocks of a prompt, in order. */
const blocks = (text: string) => [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe('buildSpecDraftPrompt', () => {
  it('names the goal, the chosen id and file, the output file, the profiles and the repository', () => {
    const text = buildSpecDraftPrompt(input);
    expect(text).toContain('\nUsers can sign in with GitHub\n');
    expect(text).toContain('`id: "004"` exactly');
    expect(text).toContain('.milestones/004-users-can-sign-in-with-github.yaml');
    expect(text).toContain('    /state/drafts/004-x/round-1.yaml\n');
    expect(text).toContain('`base: trunk`');
    expect(text).toContain('- `coder` (runs `./scripts/agent.sh`), the default');
    expect(text).toContain('- `claude` (runs `claude`)\n');
    expect(text).toMatch(/- package\.json\n- src\/\n- test\/\n/);
    expect(text).toContain('depends_on');
    expect(text).not.toContain('fix these problems');
  });

  it('carries an example that validates with the chosen id, base and default agent', () => {
    const [example] = blocks(buildSpecDraftPrompt(input));
    const parsed = parseMilestoneSpec(example ?? '', 'example.yaml', { knownAgents: ['coder'] });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.id).toBe('004');
      expect(parsed.value.base).toBe('trunk');
      expect(parsed.value.tasks.map((task) => task.agent)).toEqual(['coder', 'coder']);
    }
  });

  it('in a later round lists the problems with file:line:col, dot path and hint, and the previous YAML', () => {
    const previous = { yaml: 'id: "004"\ntitle: Sign in\ntasks:\n  - id: Login UI\n', problems: [problem] };
    const text = buildSpecDraftPrompt({ ...input, round: 2, outputFile: '/o/round-2.yaml', previous });
    expect(text).toContain('## Round 2 of 3: fix these problems');
    expect(text).toContain(
      '- .milestones/004-users-can-sign-in-with-github.yaml:7:9: tasks[0].id: task id `Login UI` is not safe in a git branch name\n  hint: use lowercase letters, e.g. `login-ui`',
    );
    expect(blocks(text).at(-1)).toBe(previous.yaml);
    expect(text).toContain('Write the corrected, complete spec to /o/round-2.yaml.');
  });

  it('shortens a long repository listing', () => {
    const entries = Array.from({ length: 100 }, (_, i) => `file-${i}`);
    const text = buildSpecDraftPrompt({ ...input, repoEntries: entries });
    expect(text).toContain('- file-79\n- … and 20 more');
    expect(text).not.toContain('file-80');
  });
});

describe('formatDraftProblem', () => {
  it('leaves out the dot path for a whole-file problem', () => {
    expect(formatDraftProblem({ ...problem, path: '', line: 1, col: 1 }, 'a.yaml')).toBe(
      `- a.yaml:1:1: ${problem.message}\n  hint: ${problem.hint}`,
    );
  });
});
