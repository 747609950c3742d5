import { truncateSync, writeFileSync } from 'node:fs';
import { SCHEMA_VERSION } from '../../store/schema.js';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDatabase } from './check-database.js';
import type { MilestoneInGit } from './milestones.js';
import { journaledStateFile, removeTempStateFiles, tempStateFile } from '../../store/test-state-file.js';

const require = createRequire(import.meta.url);
afterEach(removeTempStateFiles);

const stateFile = () => tempStateFile('cairn-dbcheck-');

const healthy = () => journaledStateFile('cairn-dbcheck-', { events: 1, tasks: 0 });

const ran: MilestoneInGit = {
  id: '001',
  title: 'Auth',
  base: 'main',
  specFile: 'f',
  tasks: [],
  history: {
    branch: 'milestone/001-auth',
    start: 's',
    merges: [{ task: 'a', commit: 'm', head: 'h' }],
    landed: undefined,
  },
  otherBranches: [],
};
const neverRan: MilestoneInGit = { ...ran, id: '002', history: undefined };

describe('database check', () => {
  it('accepts a sound database at the current schema', () => {
    const { health, findings } = checkDatabase(healthy(), [ran]);
    expect(health).toBe('healthy');
    expect(findings).toMatchObject([
      {
        check: 'database',
        status: 'ok',
        message: expect.stringMatching(
          new RegExp(`quick_check and integrity_check ok, schema v${SCHEMA_VERSION},`),
        ),
      },
    ]);
  });

  it('is fine without a database while no milestone has run, and an error once git holds work', () => {
    const file = stateFile();
    expect(checkDatabase(file, [neverRan])).toMatchObject({
      health: 'missing',
      findings: [{ status: 'ok' }],
    });
    const { findings } = checkDatabase(file, [ran, neverRan]);
    expect(findings).toMatchObject([{ status: 'error', repair: { kind: 'rebuild-state' } }]);
    expect(findings[0]?.message).toBe(
      `${file} does not exist while git holds milestone 001 (1 merged task(s) on milestone/001-auth)`,
    );
  });

  it('treats an empty file like a missing one', () => {
    const file = stateFile();
    writeFileSync(file, '');
    expect(checkDatabase(file, [ran])).toMatchObject({
      health: 'empty',
      findings: [{ status: 'error', repair: { kind: 'rebuild-state' } }],
    });
  });

  it('reports damage with the rebuild as its repair', () => {
    const file = healthy();
    truncateSync(file, 100);
    const { health, findings } = checkDatabase(file, []);
    expect(health).toBe('damaged');
    expect(findings).toMatchObject([{ status: 'error', repair: { kind: 'rebuild-state' } }]);
    expect(findings[0]?.message).toMatch(/is damaged: it is truncated/);
    expect(findings[0]?.fix).toMatch(/moves it aside .* rebuilds the state from git/);
  });

  it('refuses to touch a database of a newer Cairn', () => {
    const file = healthy();
    const BetterSqlite = require('better-sqlite3') as typeof Database;
    const db = new BetterSqlite(file);
    db.pragma('user_version = 99');
    db.close();
    const { health, findings } = checkDatabase(file, [ran]);
    expect(health).toBe('newer');
    expect(findings).toMatchObject([
      { status: 'error', message: expect.stringMatching(/schema v99, newer than this Cairn/) },
    ]);
    expect(findings[0]?.repair).toBeUndefined();
  });
});
