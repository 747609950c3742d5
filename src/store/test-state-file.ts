import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore } from './sqlite-store.js';

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

/**
 * For tests: a closed state database of milestone 001 ("M") whose journal holds `events`
 * plans of `tasks` tasks each, so that the file spans many pages.
 */
export function journaledStateFile(
  prefix: string,
  { events = 100, tasks = 20 }: { events?: number; tasks?: number } = {},
): string {
  const file = tempStateFile(prefix);
  const store = openSqliteStore(file);
  const planned = Array.from({ length: tasks }, (_, i) => ({ id: `t${i}`, title: `Task ${i}`, agent: 'x' }));
  for (let i = 0; i < events; i++) {
    store.append({
      type: 'milestone.planned',
      milestone: '001',
      title: 'M',
      branch: 'b',
      base: 'main',
      specFile: 'f',
      tasks: planned,
    });
  }
  store.close();
  return file;
}

/** Writes 4 KiB of `byte` over the middle of `file`: damage a power cut could leave. */
export function overwriteMiddle(file: string, byte = 0xa5): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(4096, byte), 0, 4096, Math.floor(size / 2) - 2048);
  closeSync(fd);
}
