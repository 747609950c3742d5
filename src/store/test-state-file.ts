import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dirs: string[] = [];

/** For tests: the path of a `state.db` in a fresh temporary directory (the file is not made). */
export function tempStateFile(prefix = 'cairn-state-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return path.join(dir, 'state.db');
}

/** Removes the directories `tempStateFile` made; call it in `afterEach`. */
export function removeTempStateFiles(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
