import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DISCARDED_PREFIX, discardDir, discardLeftovers, settleDiscards } from './discard.js';

const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'cairn-discard-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder with nested files under a fresh parent; returns both. */
function tree(name: string): { parent: string; dir: string } {
  const parent = path.join(root, name);
  const dir = path.join(parent, 'task');
  mkdirSync(path.join(dir, 'src', 'deep'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(path.join(dir, 'src', 'deep', `f${String(i)}.txt`), 'x');
  writeFileSync(path.join(dir, 'README.md'), '# r\n');
  return { parent, dir };
}

describe('discardDir', () => {
  it('frees the path at once and deletes the tree in the background', async () => {
    const { parent, dir } = tree('one');
    writeFileSync(path.join(parent, 'keep.txt'), 'k');
    await discardDir(dir);
    expect(existsSync(dir)).toBe(false);
    // The path can be used again straight away.
    mkdirSync(dir);
    await settleDiscards();
    expect(readdirSync(parent).sort()).toEqual(['keep.txt', 'task']);
  });

  it('takes many folders at once and a missing one without complaint', async () => {
    const dirs = Array.from({ length: 30 }, (_, i) => tree(`many-${String(i)}`));
    await Promise.all(dirs.map(({ dir }) => discardDir(dir)));
    await discardDir(path.join(root, 'never-made'));
    await settleDiscards();
    for (const { parent } of dirs) expect(readdirSync(parent)).toEqual([]);
  });
});

describe('discardLeftovers', () => {
  it('deletes what a killed process left on its way out, and nothing else', async () => {
    const { parent, dir } = tree('leftovers');
    const left = path.join(parent, `${DISCARDED_PREFIX}999-1-old`);
    mkdirSync(path.join(left, 'a', 'b'), { recursive: true });
    writeFileSync(path.join(left, 'a', 'b', 'file'), 'x');
    discardLeftovers(parent);
    discardLeftovers(path.join(root, 'no-such-folder'));
    await settleDiscards();
    expect(readdirSync(parent)).toEqual(['task']);
    expect(existsSync(path.join(dir, 'README.md'))).toBe(true);
  });
});
