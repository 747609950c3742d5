import type Database from 'better-sqlite3';
import { InputError } from '../shared/errors.js';
import { statement } from '../store/statements.js';
import { raiseAlert, resolveAlerts } from './alerts.js';
import { inTransaction } from './db.js';
import { checkValue, resolve, type MergePolicy } from './merge-policy.js';
import type {
  ContextEntry,
  ContextScope,
  ContextVersion,
  SharedContext,
  WriteOptions,
  WriteResult,
} from './context-types.js';
import { encodePayload } from './send.js';
import { descends, mergeClocks, unissued, withCounter, type VectorClock } from './vector-clock.js';

interface KeyRow {
  key: string;
  scope: string;
  policy: MergePolicy;
  version: number;
  issued: string;
  updated_at: number;
}

interface VersionRow {
  version: number;
  writer: string;
  clock: string;
  value: string | null;
  outcome: ContextVersion['outcome'];
  current: number;
  written_at: number;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;

export function checkKey(key: string): void {
  if (!KEY.test(key)) {
    throw new InputError('E_CTX_KEY', `"${key}" is not a context key`, {
      hint: 'Use letters, digits, ".", "_", "/" and "-", starting with a letter or digit (e.g. api.base_url).',
    });
  }
}

const scopeOf = (scope: ContextScope) => scope.task ?? '';

function toVersion(row: VersionRow): ContextVersion {
  return {
    version: row.version,
    writer: row.writer,
    clock: JSON.parse(row.clock) as VectorClock,
    value: row.value === null ? undefined : (JSON.parse(row.value) as unknown),
    deleted: row.value === null,
    outcome: row.outcome,
    current: row.current === 1,
    writtenAt: row.written_at,
  };
}

export interface SqliteContextOptions {
  now?: () => number;
}

/** The shared context on a connection to the state database (see db.ts). */
export function createSqliteContext(
  db: Database.Database,
  options: SqliteContextOptions = {},
): SharedContext {
  const now = options.now ?? Date.now;
  const keyRow = (scope: ContextScope, key: string) =>
    statement(db, 'SELECT * FROM ctx_keys WHERE milestone = ? AND scope = ? AND key = ?').get(
      scope.milestone,
      scopeOf(scope),
      key,
    ) as KeyRow | undefined;
  const siblingsOf = (scope: ContextScope, key: string) =>
    (
      statement(
        db,
        `SELECT * FROM ctx_versions WHERE milestone = ? AND scope = ? AND key = ? AND current = 1 ORDER BY version`,
      ).all(scope.milestone, scopeOf(scope), key) as VersionRow[]
    ).map(toVersion);

  const entryOf = (scope: ContextScope, row: KeyRow): ContextEntry => {
    const siblings = siblingsOf(scope, row.key);
    const resolution = resolve(
      row.policy,
      siblings.map((s) => ({
        version: s.version,
        writer: s.writer,
        at: s.writtenAt,
        value: s.value,
        deleted: s.deleted,
      })),
    );
    return {
      key: row.key,
      task: row.scope === '' ? null : row.scope,
      policy: row.policy,
      version: row.version,
      ...resolution,
      clock: siblings.map((s) => s.clock).reduce(mergeClocks, {}),
      siblings,
      updatedAt: row.updated_at,
    };
  };

  const recordRead = (
    scope: ContextScope,
    key: string,
    reader: string,
    version: number,
    clock: VectorClock,
  ) =>
    statement(
      db,
      `INSERT INTO ctx_reads (milestone, scope, key, reader, version, clock, read_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (milestone, scope, key, reader) DO UPDATE SET version = excluded.version, clock = excluded.clock,
         read_at = excluded.read_at`,
    ).run(scope.milestone, scopeOf(scope), key, reader, version, JSON.stringify(clock), now());

  const lastRead = (scope: ContextScope, key: string, reader: string): VectorClock => {
    const row = statement(
      db,
      'SELECT clock FROM ctx_reads WHERE milestone = ? AND scope = ? AND key = ? AND reader = ?',
    ).get(scope.milestone, scopeOf(scope), key, reader) as { clock: string } | undefined;
    return row ? (JSON.parse(row.clock) as VectorClock) : {};
  };

  const write = (scope: ContextScope, key: string, value: unknown, options: WriteOptions): WriteResult => {
    checkKey(key);
    const existing = keyRow(scope, key);
    const policy = existing?.policy ?? options.policy ?? 'lww';
    if (existing && options.policy && options.policy !== existing.policy) {
      throw new InputError(
        'E_CTX_POLICY',
        `key ${key} is declared ${existing.policy}, not ${options.policy}`,
        {
          hint: 'A key keeps the policy of its first write; drop --policy or use another key.',
        },
      );
    }
    const wrong = options.deleted ? undefined : checkValue(policy, value);
    if (wrong)
      throw new InputError('E_CTX_VALUE', `cannot write ${key}: ${wrong}`, {
        hint: 'Write a value of that shape.',
      });
    const text = options.deleted ? null : encodePayload(value);
    const issued = existing ? (JSON.parse(existing.issued) as VectorClock) : {};
    const context = options.clock ?? lastRead(scope, key, options.writer);
    const forged = unissued(context, issued);
    if (forged.length > 0) {
      throw new InputError(
        'E_CTX_CLOCK',
        `the clock for ${key} names writes that never happened: ${forged.join(', ')}`,
        {
          hint: 'Pass the clock printed by `cairn ctx get <key> --json` (or no --clock: your last read is used).',
        },
      );
    }
    const clock = withCounter(context, options.writer, (issued[options.writer] ?? 0) + 1);
    const siblings = siblingsOf(scope, key);
    const superseded = siblings.filter((s) => descends(clock, s.clock));
    const remaining = siblings.filter((s) => !descends(clock, s.clock));
    // A clock that leaves out its own writer's last write is an old one, replayed or kept too long.
    const stale = (context[options.writer] ?? 0) < (issued[options.writer] ?? 0);
    const outcome = remaining.length === 0 ? 'replaced' : stale ? 'stale' : 'sibling';
    if (options.strict && outcome !== 'replaced') {
      const newest = remaining[remaining.length - 1]!;
      throw new InputError(
        'E_CTX_STALE',
        `key ${key} changed since you read it: version ${newest.version} by ${newest.writer} is not in your clock`,
        {
          hint: `Read it again (cairn ctx get ${key}), then write; or drop --strict to keep both as siblings.`,
        },
      );
    }
    const at = now();
    const version = (existing?.version ?? 0) + 1;
    const retire = statement(
      db,
      'UPDATE ctx_versions SET current = 0 WHERE milestone = ? AND scope = ? AND key = ? AND version = ?',
    );
    for (const s of superseded) retire.run(scope.milestone, scopeOf(scope), key, s.version);
    statement(
      db,
      `INSERT INTO ctx_versions (milestone, scope, key, version, writer, clock, value, outcome, current, written_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
    ).run(
      scope.milestone,
      scopeOf(scope),
      key,
      version,
      options.writer,
      JSON.stringify(clock),
      text,
      outcome,
      at,
    );
    statement(
      db,
      `INSERT INTO ctx_keys (milestone, scope, key, policy, version, issued, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (milestone, scope, key) DO UPDATE SET version = excluded.version, issued = excluded.issued,
         updated_at = excluded.updated_at`,
    ).run(
      scope.milestone,
      scopeOf(scope),
      key,
      policy,
      version,
      JSON.stringify(mergeClocks(issued, clock)),
      at,
    );
    recordRead(scope, key, options.writer, version, clock);
    const subject = scope.task ? `${scope.task}/${key}` : key;
    if (policy === 'manual' && remaining.length > 0) {
      raiseAlert(db, {
        milestone: scope.milestone,
        kind: 'context-conflict',
        subject,
        task: scope.task ?? null,
        message: `context key ${subject} has ${remaining.length + 1} conflicting versions; read it and write the resolution`,
        source: null,
        raisedAt: at,
      });
    } else if (policy === 'manual') {
      resolveAlerts(db, scope.milestone, 'context-conflict', subject, at);
    }
    const entry = entryOf(scope, keyRow(scope, key)!);
    const written = entry.siblings.find((s) => s.version === version)!;
    return { entry, written, outcome, superseded: superseded.map((s) => s.version) };
  };

  return {
    get(scope, key, reader) {
      checkKey(key);
      return inTransaction(db, () => {
        const row = keyRow(scope, key);
        if (!row) return undefined;
        const entry = entryOf(scope, row);
        if (reader) recordRead(scope, key, reader, entry.version, entry.clock);
        return entry;
      });
    },
    set: (scope, key, value, options) => inTransaction(db, () => write(scope, key, value, options)),
    list(scope) {
      const rows = statement(db, 'SELECT * FROM ctx_keys WHERE milestone = ? AND scope = ? ORDER BY key').all(
        scope.milestone,
        scopeOf(scope),
      ) as KeyRow[];
      return rows.map((row) => entryOf(scope, row));
    },
    history(scope, key) {
      checkKey(key);
      const rows = statement(
        db,
        'SELECT * FROM ctx_versions WHERE milestone = ? AND scope = ? AND key = ? ORDER BY version',
      ).all(scope.milestone, scopeOf(scope), key) as VersionRow[];
      return rows.map(toVersion);
    },
    versions(scope) {
      const rows = statement(db, 'SELECT key, version FROM ctx_keys WHERE milestone = ? AND scope = ?').all(
        scope.milestone,
        scopeOf(scope),
      ) as { key: string; version: number }[];
      return new Map(rows.map((row) => [row.key, row.version]));
    },
    convergence(milestone) {
      const rows = statement(
        db,
        `SELECT k.key, k.scope, k.version, count(r.reader) AS readers,
           coalesce(sum(r.version >= k.version), 0) AS on_latest, min(r.version) AS oldest_seen
         FROM ctx_keys k LEFT JOIN ctx_reads r ON r.milestone = k.milestone AND r.scope = k.scope AND r.key = k.key
         WHERE k.milestone = ? GROUP BY k.scope, k.key ORDER BY k.scope, k.key`,
      ).all(milestone) as {
        key: string;
        scope: string;
        version: number;
        readers: number;
        on_latest: number;
        oldest_seen: number | null;
      }[];
      const writtenAt = statement(
        db,
        'SELECT written_at FROM ctx_versions WHERE milestone = ? AND scope = ? AND key = ? AND version = ?',
      );
      return rows.map((row) => {
        const lagging = row.oldest_seen !== null && row.oldest_seen < row.version;
        const first = lagging
          ? (writtenAt.get(milestone, row.scope, row.key, row.oldest_seen! + 1) as
              { written_at: number } | undefined)
          : undefined;
        return {
          key: row.key,
          task: row.scope === '' ? null : row.scope,
          version: row.version,
          readers: row.readers,
          onLatest: row.on_latest,
          oldestUnseenMs: first ? Math.max(0, now() - first.written_at) : null,
        };
      });
    },
  };
}
