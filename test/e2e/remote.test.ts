import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addSpec, cairn, cleanupTemp, git, tempDir } from './helpers.js';
import { setupScenario, specYaml, type Scenario } from './scenarios.js';

afterAll(cleanupTemp);

const agentBody = 'echo "$CAIRN_TASK" > "$CAIRN_TASK.txt"';

/** A scenario whose config names `origin`, a bare repository in a temp dir holding main. */
function withRemote(title: string, ids: string[]): { s: Scenario; bare: string } {
  const s = setupScenario({
    spec: { title, tasks: ids.map((id) => ({ id })) },
    agentBody,
    configExtra: 'remote: origin\n',
  });
  git(s.root, ['add', '-A']);
  git(s.root, ['commit', '--quiet', '--allow-empty', '-m', 'config with a remote']);
  const bare = path.join(tempDir('cairn-remote-'), 'origin.git');
  git(path.dirname(bare), ['init', '--quiet', '--bare', bare]);
  git(s.root, ['remote', 'add', 'origin', bare]);
  git(s.root, ['push', '--quiet', 'origin', 'main']);
  return { s, bare };
}

/** A second clone of the remote, committing as another person would. */
function otherClone(bare: string, branch: string, file: string): string {
  const dir = path.join(tempDir('cairn-clone-'), 'c');
  git(path.dirname(dir), ['clone', '--quiet', '--branch', branch, bare, dir]);
  git(dir, ['config', 'user.name', 'Someone Else']);
  git(dir, ['config', 'user.email', 'else@example.invalid']);
  writeFileSync(path.join(dir, file), 'from the other clone\n');
  git(dir, ['add', file]);
  git(dir, ['commit', '--quiet', '-m', `add ${file}`]);
  git(dir, ['push', '--quiet', 'origin', branch]);
  return git(dir, ['rev-parse', 'HEAD']);
}

describe('a remote', () => {
  it('gets the milestone branch after the merges, and a rejected push is retried after a fetch and merge, never forced', async () => {
    const { s, bare } = withRemote('Pushed', ['a', 'b']);
    const branch = 'milestone/001-pushed';
    expect((await cairn(s.root, ['run', '001'])).code).toBe(0);
    expect(git(bare, ['rev-parse', branch])).toBe(git(s.root, ['rev-parse', branch]));
    expect(git(s.root, ['rev-parse', '--abbrev-ref', `${branch}@{upstream}`])).toBe(`origin/${branch}`);

    // Someone pushes to the milestone branch; a new task makes Cairn push again.
    const theirs = otherClone(bare, branch, 'theirs.txt');
    const before = git(bare, ['rev-parse', branch]);
    addSpec(
      s.root,
      '001-pushed',
      specYaml({ id: '001', title: 'Pushed', tasks: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] }),
    );
    const again = await cairn(s.root, ['run', '001']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(
      /push of milestone\/001-pushed rejected .*fetched: merged origin\/milestone\/001-pushed/,
    );
    const after = git(bare, ['rev-parse', branch]);
    expect(after).toBe(git(s.root, ['rev-parse', branch]));
    // Nothing forced: the remote's earlier head and their commit are both in the new history.
    git(s.root, ['merge-base', '--is-ancestor', before, after]);
    git(s.root, ['merge-base', '--is-ancestor', theirs, after]);
    expect(git(s.root, ['ls-tree', '--name-only', branch])).toMatch(/c\.txt/);
  });

  it('an unreachable remote is said once; the run goes on locally and keeps every merge', async () => {
    const { s } = withRemote('Offline', ['a', 'b']);
    git(s.root, ['remote', 'set-url', 'origin', path.join(tempDir('cairn-gone-'), 'missing.git')]);
    const run = await cairn(s.root, ['run', '001']);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/cannot push milestone\/001-offline to origin/g)).toHaveLength(1);
    expect(git(s.root, ['log', '--merges', '--format=%s', 'milestone/001-offline']).split('\n')).toHaveLength(
      2,
    );
  });

  it('land fetches base first, lands on the remote base when it is ahead, and pushes the landing', async () => {
    const { s, bare } = withRemote('Landed', ['a']);
    expect((await cairn(s.root, ['run', '001'])).code).toBe(0);
    const theirs = otherClone(bare, 'main', 'hotfix.txt');
    git(s.root, ['checkout', '--quiet', '--detach']); // base not checked out here
    const land = await cairn(s.root, ['land', '001']);
    expect(land.code).toBe(0);
    expect(land.stderr).toMatch(/origin\/main is ahead of main: landing on it/);
    expect(git(bare, ['rev-parse', 'main'])).toBe(git(s.root, ['rev-parse', 'main']));
    git(s.root, ['merge-base', '--is-ancestor', theirs, 'main']);
  });

  it('land --pr pushes the branch and opens a pull request through the command template; status shows it', async () => {
    const { s } = withRemote('Reviewed', ['a']);
    const bin = tempDir('cairn-fake-gh-');
    const record = path.join(bin, 'args.txt');
    const gh = path.join(bin, 'gh');
    writeFileSync(
      gh,
      `#!/bin/sh\nprintf '%s\\n' "$@" > ${JSON.stringify(record)}\necho "Creating pull request"\necho "https://git.example.test/acme/app/pull/7"\n`,
    );
    chmodSync(gh, 0o755);
    expect((await cairn(s.root, ['run', '001'])).code).toBe(0);
    const land = await cairn(s.root, ['land', '001', '--pr'], { PATH: `${bin}:${process.env.PATH ?? ''}` });
    expect(land.code).toBe(0);
    expect(land.stdout).toContain(
      'Opened a pull request for milestone 001: https://git.example.test/acme/app/pull/7',
    );
    const args = readFileSync(record, 'utf8').trim().split('\n');
    expect(args.slice(0, 7)).toEqual([
      'pr',
      'create',
      '--base',
      'main',
      '--head',
      'milestone/001-reviewed',
      '--title',
    ]);
    const bodyFile = args[args.indexOf('--body-file') + 1]!;
    expect(existsSync(bodyFile) && readFileSync(bodyFile, 'utf8')).toContain('## Milestone 001: Reviewed');
    // Nothing merged locally.
    expect(git(s.root, ['log', '--format=%s', '-1', 'main'])).toBe('config with a remote');
    const status = await cairn(s.root, ['status', '001']);
    expect(status.stdout).toContain('pull request: https://git.example.test/acme/app/pull/7');
  });

  it('land --pr without a remote is bad input (exit 2)', async () => {
    const s = setupScenario({ spec: { title: 'Local', tasks: [{ id: 'a' }] }, agentBody });
    expect((await cairn(s.root, ['run', '001'])).code).toBe(0);
    const land = await cairn(s.root, ['land', '001', '--pr']);
    expect(land.code).toBe(2);
    expect(land.stderr).toMatch(/--pr needs a remote/);
    expect(land.stderr).toMatch(/remote: origin/);
  });
});
