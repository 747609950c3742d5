import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/types.js';

const dirs: string[] = [];

/** For tests: a real store in a temporary directory, with milestone `m` planned with `ids`. */
export function plannedStore(ids: string[]): Store {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-test-store-'));
  dirs.push(dir);
  const store = openSqliteStore(path.join(dir, 'state.db'));
  store.append({
    type: 'milestone.planned',
    milestone: 'm',
    title: 'M',
    branch: 'milestone/m',
    base: 'main',
    specFile: 'x',
    tasks: ids.map((id) => ({ id, title: id, agent: 'a' })),
  });
  return store;
}

/** Removes the directories `plannedStore` made; call it in `afterEach`. */
export function removeTestStores(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
