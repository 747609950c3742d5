import { linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneTree, treeBytes } from './clone-tree.js';

const root = mkdtempSync(path.join(tmpdir(), 'cairn-clone-tree-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('treeBytes', () => {
  it('counts the blocks a tree takes, a hardlinked file once, as du does', async () => {
    const tree = path.join(root, 'tree');
    mkdirSync(path.join(tree, 'pkg'), { recursive: true });
    writeFileSync(path.join(tree, 'pkg', 'big.js'), 'x'.repeat(64 * 1024));
    const one = await treeBytes(tree);
    expect(one).toBeGreaterThanOrEqual(64 * 1024);
    linkSync(path.join(tree, 'pkg', 'big.js'), path.join(tree, 'pkg', 'same.js'));
    expect(await treeBytes(tree)).toBe(one);
    // A copy keeps the link between the two names: still one file's blocks.
    const copy = path.join(root, 'copy');
    await cloneTree(tree, copy);
    expect(await treeBytes(copy)).toBe(one);
    expect(await treeBytes(path.join(root, 'missing'))).toBe(0);
  });
});
