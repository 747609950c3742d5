import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CacheEntrySpec } from '../../spec/types.js';

// Bumped when what an entry holds or how it is keyed changes, so old entries miss.
const FORMAT = 1;

/**
 * The key of one cached path in one worktree: the content of its key files (as the worktree
 * has them), the setup commands, the platform and Node's version. A missing key file is part
 * of the key too, so creating it later misses.
 */
export async function cacheKey(worktree: string, entry: CacheEntrySpec, setup: string[]): Promise<string> {
  const files = await Promise.all(
    entry.key.map(async (file) => {
      const content = await readFile(path.join(worktree, file)).catch(() => undefined);
      return [file, content ? createHash('sha256').update(content).digest('hex') : null];
    }),
  );
  const material = {
    format: FORMAT,
    path: entry.path,
    files,
    setup,
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 32);
}
