import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { StoredEvent } from '../../src/store/events.js';
import { addSpec, cairn, cleanupTemp, createRepo, git, tempDir, writeFiles } from './helpers.js';
import { runExpecting, startCairn, statusJson, taskOf, waitFor } from './scenarios.js';

afterAll(cleanupTemp);

// Fake agents as node scripts. Each records its phase and round, and keeps the prompt it got.
const DESIGNER = `
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
const { CAIRN_PHASE, CAIRN_PHASE_ROUND, SCRATCH } = process.env;
appendFileSync(SCRATCH + '/runs.txt', 'designer ' + CAIRN_PHASE + ' ' + CAIRN_PHASE_ROUND + '\\n');
mkdirSync('docs', { recursive: true });
writeFileSync('docs/design.md', '# Design\\nA counter in src/impl.txt.\\n');
console.log('DESIGN: one counter file');
`;

// Round 1 waits for the test's go-ahead (so the test can see the phase in status), then writes.
const CODER = `
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
const { CAIRN_PHASE, CAIRN_PHASE_ROUND, CAIRN_PROMPT_FILE, SCRATCH } = process.env;
appendFileSync(SCRATCH + '/runs.txt', 'coder ' + CAIRN_PHASE + ' ' + CAIRN_PHASE_ROUND + '\\n');
copyFileSync(CAIRN_PROMPT_FILE, SCRATCH + '/implement-' + CAIRN_PHASE_ROUND + '.md');
if (existsSync(SCRATCH + '/hold')) {
  const deadline = Date.now() + 60_000;
  while (!existsSync(SCRATCH + '/go') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
mkdirSync('src', { recursive: true });
if (CAIRN_PHASE === undefined) {
  appendFileSync('src/after.txt', 'uses the counter\\n');
  process.exit(0);
}
const prompt = readFileSync(CAIRN_PROMPT_FILE, 'utf8');
appendFileSync('src/impl.txt', prompt.includes('## Review to address') ? 'tests added\\n' : 'counter\\n');
console.log('implemented round ' + CAIRN_PHASE_ROUND);
`;

// MODE once: rejects in its file on round 1, approves on its output on round 2. always: rejects.
// crash: exits 3 in the first attempt, approves in the next.
const REVIEWER = `
import { appendFileSync, copyFileSync, writeFileSync } from 'node:fs';
const { CAIRN_PHASE, CAIRN_PHASE_ROUND, CAIRN_PROMPT_FILE, CAIRN_REVIEW_FILE, SCRATCH, MODE } = process.env;
appendFileSync(SCRATCH + '/runs.txt', 'reviewer ' + CAIRN_PHASE + ' ' + CAIRN_PHASE_ROUND + '\\n');
copyFileSync(CAIRN_PROMPT_FILE, SCRATCH + '/review-' + CAIRN_PHASE_ROUND + '.md');
if (MODE === 'crash' && process.env.CAIRN_ATTEMPT === '1') {
  console.log('reviewer crashed');
  process.exit(3);
}
if (MODE === 'crash' || (MODE === 'once' && CAIRN_PHASE_ROUND === '2')) {
  console.log('Looks good now.');
  console.log('REVIEW: approve');
} else {
  writeFileSync(CAIRN_REVIEW_FILE, 'REVIEW: reject\\nadd tests for the counter (round ' + CAIRN_PHASE_ROUND + ')\\n');
}
`;

const SPEC = (rounds: number) => `id: '001'
title: Phases
tasks:
  - id: feature
    title: Counter feature
    files: ['docs/**', 'src/**']
    acceptance: ['test -f src/impl.txt', 'test -f docs/design.md']
    max_review_rounds: ${rounds}
    phases:
      - name: design
        agent: designer
        prompt: Write the design to docs/design.md.
      - name: implement
      - name: review
        agent: reviewer
  - id: after
    title: Uses the counter
    depends_on: [feature]
`;

/** A repository whose default profile is the coder, with designer and reviewer profiles. */
function phasesRepo(mode: 'once' | 'always' | 'crash', rounds: number) {
  const root = createRepo();
  const scratch = tempDir('cairn-scratch-');
  const agents = tempDir('cairn-agents-');
  writeFiles(agents, { 'designer.mjs': DESIGNER, 'coder.mjs': CODER, 'reviewer.mjs': REVIEWER });
  const profile = (name: string, script: string) =>
    [
      `  ${name}:`,
      `    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(agents, script))}]`,
      `    env: { SCRATCH: ${JSON.stringify(scratch)}, MODE: ${mode} }`,
    ].join('\n');
  writeFiles(root, {
    '.cairn/config.yaml': [
      'defaults:',
      '  agent: coder',
      '  concurrency: 2',
      '  retries: 1',
      '  timeout: 90s',
      'agents:',
      profile('coder', 'coder.mjs'),
      profile('designer', 'designer.mjs'),
      profile('reviewer', 'reviewer.mjs'),
      '',
    ].join('\n'),
  });
  addSpec(root, '001-phases', SPEC(rounds));
  return { root, scratch };
}

function journal(root: string): StoredEvent[] {
  const store = openSqliteStore(path.join(root, '.git', 'cairn', 'state.db'));
  try {
    return store.events('001');
  } finally {
    store.close();
  }
}

/** `phase@round outcome` for each ended phase of a task, in order. */
function phaseEnds(events: StoredEvent[], task: string): string[] {
  return events.flatMap((event) =>
    event.type === 'phase.ended' && event.task === task
      ? [`${event.phase}#${event.round} ${event.outcome}`]
      : [],
  );
}

const runs = (scratch: string) => readFileSync(path.join(scratch, 'runs.txt'), 'utf8').trim().split('\n');

describe('multi-phase tasks', () => {
  it('plan lists the phases; design → implement → review loops back once on a rejection, then merges', async () => {
    const { root, scratch } = phasesRepo('once', 2);
    const plan = await runExpecting(root, ['plan', '001'], 0);
    expect(plan.stdout).toContain(
      'phases design:designer → implement:coder → review:reviewer (review rounds 2)',
    );

    writeFileSync(path.join(scratch, 'hold'), '');
    const run = startCairn(root, ['run', '001']);
    await waitFor(
      'the implement phase in status',
      async () => {
        if (!existsSync(path.join(root, '.git', 'cairn', 'state.db'))) return false;
        const result = await cairn(root, ['status', '001', '--json']);
        if (result.code !== 0) return false;
        const task = (JSON.parse(result.stdout) as { tasks: { id: string; phase?: { name: string } }[] })
          .tasks;
        return task.find((t) => t.id === 'feature')?.phase?.name === 'implement';
      },
      90_000,
    );
    const table = await cairn(root, ['status', '001']);
    expect(table.stdout).toMatch(/feature\s+running \(implement\)/);
    writeFileSync(path.join(scratch, 'go'), '');
    const done = await run.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);

    expect(runs(scratch)).toEqual([
      'designer design 1',
      'coder implement 1',
      'reviewer review 1',
      'coder implement 2',
      'reviewer review 2',
      // The dependent task has no phases: one plain run of the default profile.
      'coder undefined undefined',
    ]);
    const events = journal(root);
    expect(phaseEnds(events, 'feature')).toEqual([
      'design#1 completed',
      'implement#1 completed',
      'review#1 rejected',
      'implement#2 completed',
      'review#2 approved',
    ]);
    const started = events.filter((e) => e.type === 'phase.started' && e.phase === 'implement');
    expect(started).toHaveLength(2);
    const rejected = events.find((e) => e.type === 'phase.ended' && e.outcome === 'rejected');
    expect(rejected).toMatchObject({ reason: 'add tests for the counter (round 1)', agent: 'reviewer' });
    const design = events.find((e) => e.type === 'phase.ended' && e.phase === 'design');
    expect(design).toMatchObject({ files: ['docs/design.md'] });

    // The second implement run gets the review to address and the earlier phases' outputs.
    const second = readFileSync(path.join(scratch, 'implement-2.md'), 'utf8');
    expect(second).toContain('## Phase: implement (2 of 3: design → implement → review, round 2)');
    expect(second).toContain('## Review to address (from review)');
    expect(second).toContain('add tests for the counter (round 1)');
    expect(second).toContain('### design (designer)');
    expect(second).toContain('Changed: docs/design.md');
    expect(second).toContain('DESIGN: one counter file');
    const review = readFileSync(path.join(scratch, 'review-1.md'), 'utf8');
    expect(review).toContain('REVIEW: approve');
    expect(review).toContain('Changed: src/impl.txt');

    // One task, one merge: both implement rounds' work, no review file.
    expect(taskOf(await statusJson(root), 'feature').state).toBe('done');
    const branch = 'milestone/001-phases';
    expect(git(root, ['show', `${branch}:src/impl.txt`])).toBe('counter\ntests added');
    expect(git(root, ['show', `${branch}:docs/design.md`])).toContain('A counter');
    expect(git(root, ['ls-tree', '-r', '--name-only', branch])).not.toContain('.cairn-review.md');
    const attempts = events.filter((e) => e.type === 'attempt.started' && e.task === 'feature');
    expect(attempts).toHaveLength(1);
  });

  it('blocks the task with the review once a review rejects more than max_review_rounds allows', async () => {
    const { root, scratch } = phasesRepo('always', 1);
    const run = await runExpecting(root, ['run', '001'], 1);
    expect(runs(scratch)).toEqual([
      'designer design 1',
      'coder implement 1',
      'reviewer review 1',
      'coder implement 2',
      'reviewer review 2',
    ]);
    const status = await statusJson(root);
    const feature = taskOf(status, 'feature');
    expect(feature.state).toBe('blocked');
    expect(feature.attempts).toBe(1);
    expect(feature.reason).toBe(
      'review review rejected the work 2 times (max_review_rounds 1): add tests for the counter (round 2)',
    );
    expect(taskOf(status, 'after').state).toBe('blocked');
    expect(run.stdout).toContain('cairn unblock 001 feature');
    const events = journal(root);
    expect(phaseEnds(events, 'feature')).toEqual([
      'design#1 completed',
      'implement#1 completed',
      'review#1 rejected',
      'implement#2 completed',
      'review#2 rejected',
    ]);
    expect(events.find((e) => e.type === 'attempt.ended')).toMatchObject({ outcome: 'blocked' });

    // The rejected work is kept on the task branch, marked partial; a person may merge it as it is.
    const taskBranch = 'feature/milestone-001-feature';
    expect(git(root, ['log', '-1', '--format=%(trailers:key=Progress,valueonly)', taskBranch])).toBe(
      'partial',
    );
    expect(git(root, ['show', `${taskBranch}:src/impl.txt`])).toBe('counter\ntests added');
    await runExpecting(root, ['unblock', '001', 'feature'], 0);
    await runExpecting(root, ['run', '001'], 0);
    expect(runs(scratch)).toHaveLength(6); // only the dependent task's agent ran
    expect(taskOf(await statusJson(root), 'feature').state).toBe('done');
  });

  it('fails the attempt when a phase agent exits non-zero; the retry runs every phase again', async () => {
    const { root, scratch } = phasesRepo('crash', 2);
    await runExpecting(root, ['run', '001'], 0);
    expect(runs(scratch)).toEqual([
      'designer design 1',
      'coder implement 1',
      'reviewer review 1',
      'designer design 1',
      'coder implement 1',
      'reviewer review 1',
      'coder undefined undefined',
    ]);
    const events = journal(root);
    expect(phaseEnds(events, 'feature')).toEqual([
      'design#1 completed',
      'implement#1 completed',
      'review#1 failed',
      'design#1 completed',
      'implement#1 completed',
      'review#1 approved',
    ]);
    const ended = events.filter((e) => e.type === 'attempt.ended' && e.task === 'feature');
    expect(ended.map((e) => (e.type === 'attempt.ended' ? e.outcome : ''))).toEqual(['failed', 'succeeded']);
    expect(ended[0]).toMatchObject({ exitCode: 3, reason: 'agent reviewer exited with status 3' });
    expect(taskOf(await statusJson(root), 'feature').state).toBe('done');
  });
});
