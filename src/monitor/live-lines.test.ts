import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveLines } from './live-lines.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const git = (dir: string, args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  }).trim();

function write(dir: string, file: string, text: string | Buffer): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

describe('liveLines', () => {
  it('counts committed, uncommitted and new untracked lines against the start, by kind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cairn-lines-'));
    dirs.push(dir);
    git(dir, ['init', '-q']);
    write(dir, 'src/a.ts', 'one\ntwo\nthree\n');
    write(dir, '.gitignore', 'dist/\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'start']);
    const start = git(dir, ['rev-parse', 'HEAD']);
    write(dir, 'src/a.ts', 'one\n2\nthree\nfour\n'); // 2 added, 1 deleted
    write(dir, 'docs/guide.md', 'a\nb'); // committed below: 2 added
    git(dir, ['add', 'docs/guide.md']);
    git(dir, ['commit', '-qm', 'wip']);
    write(dir, 'test/a.test.ts', 'x\ny\nz\n'); // untracked: 3 added
    write(dir, 'dist/out.js', 'ignored\n');
    write(dir, 'src/blob.bin', Buffer.from([0, 1, 2, 3])); // binary: one line
    const lines = await liveLines(dir, start, [
      'src/a.ts',
      'docs/guide.md',
      'test/a.test.ts',
      'dist/out.js',
      'src/blob.bin',
      'src/never-existed.ts',
    ]);
    expect(lines).toEqual({
      code: { added: 3, deleted: 1 },
      test: { added: 3, deleted: 0 },
      docs: { added: 2, deleted: 0 },
      config: { added: 0, deleted: 0 },
    });
  });

  it('says nothing when the start commit is unknown', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cairn-lines-'));
    dirs.push(dir);
    git(dir, ['init', '-q']);
    expect(await liveLines(dir, 'deadbeef', ['a.ts'])).toBeUndefined();
  });
});
