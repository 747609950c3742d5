import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeIntoBranch } from './merge.js';
import { ensureBranch } from './refs.js';
import { parseTrailers } from './trailers.js';

const root = mkdtempSync(path.join(tmpdir(), 'cairn-merge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const run = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

function commitOn(branch: string, file: string, text: string): string {
  run('checkout', '-q', branch);
  writeFileSync(path.join(root, file), text);
  run('add', '-A');
  run('commit', '-q', '-m', `edit ${file}`);
  return run('rev-parse', 'HEAD');
}

run('init', '-q', '--initial-branch=main');
run('config', 'user.name', 'T');
run('config', 'user.email', 't@example.invalid');
writeFileSync(path.join(root, 'shared.txt'), 'one\ntwo\nthree\nfour\nfive\nsix\n');
run('add', '-A');
run('commit', '-q', '-m', 'initial');

describe('mergeIntoBranch', () => {
  it('writes a real two-parent merge even when a fast-forward was possible', async () => {
    const { head } = await ensureBranch(root, 'milestone/1-x', 'main');
    run('branch', 'task-a', head);
    const a = commitOn('task-a', 'a.txt', 'a\n');
    const outcome = await mergeIntoBranch({
      repo: root,
      branch: 'milestone/1-x',
      head,
      source: a,
      message: 'merge a\n\nTask: a\n',
    });
    expect(outcome.kind).toBe('merged');
    if (outcome.kind !== 'merged') return;
    expect(run('rev-list', '--parents', '-n', '1', outcome.commit).split(' ')).toEqual([
      outcome.commit,
      head,
      a,
    ]);
    expect(parseTrailers(run('log', '-1', '--format=%B', outcome.commit)).get('Task')).toBe('a');
    expect(run('rev-parse', 'milestone/1-x')).toBe(outcome.commit);
  });

  it('reports conflicting paths without moving the branch', async () => {
    const head = run('rev-parse', 'milestone/1-x');
    run('branch', 'left', head);
    run('branch', 'right', head);
    const left = commitOn('left', 'shared.txt', 'ONE\ntwo\nthree\nfour\nfive\nsix\n');
    const right = commitOn('right', 'shared.txt', 'uno\ntwo\nthree\nfour\nfive\nsix\n');
    const first = await mergeIntoBranch({
      repo: root,
      branch: 'milestone/1-x',
      head,
      source: left,
      message: 'left\n',
    });
    expect(first.kind).toBe('merged');
    const after = run('rev-parse', 'milestone/1-x');
    const second = await mergeIntoBranch({
      repo: root,
      branch: 'milestone/1-x',
      head: after,
      source: right,
      message: 'right\n',
    });
    expect(second).toEqual({ kind: 'conflict', paths: ['shared.txt'] });
    expect(run('rev-parse', 'milestone/1-x')).toBe(after);
  });

  it('refuses to move a branch that moved under it (compare-and-swap)', async () => {
    const stale = run('rev-parse', 'milestone/1-x');
    run('branch', 'task-b', stale);
    const b = commitOn('task-b', 'b.txt', 'b\n');
    run('branch', 'task-c', stale);
    const c = commitOn('task-c', 'c.txt', 'c\n');
    const first = await mergeIntoBranch({
      repo: root,
      branch: 'milestone/1-x',
      head: stale,
      source: b,
      message: 'b\n',
    });
    expect(first.kind).toBe('merged');
    const second = await mergeIntoBranch({
      repo: root,
      branch: 'milestone/1-x',
      head: stale,
      source: c,
      message: 'c\n',
    });
    expect(second).toEqual({ kind: 'moved', head: run('rev-parse', 'milestone/1-x') });
  });
});
