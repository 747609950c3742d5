import { inspectDbFile, probeDatabase, type DbProbe } from '../../store/db-file.js';
import { SCHEMA_VERSION } from '../../store/schema.js';
import { formatBytes } from './check-disk.js';
import type { MilestoneInGit } from './milestones.js';
import { finding, type DbHealth, type Finding } from './types.js';

const REBUILD =
  '`cairn doctor --repair` moves it aside (state.db.damaged-<time>) and rebuilds the state from git: merged tasks stay done, the others run again.';

/** "milestone 001 (2 merged tasks on milestone/001-x)", for the milestones git holds work of. */
export function describeGitWork(milestones: MilestoneInGit[]): string {
  return milestones
    .filter((m) => m.history)
    .map((m) => `milestone ${m.id} (${m.history!.merges.length} merged task(s) on ${m.history!.branch})`)
    .join(', ');
}

/** SQLite's first few complaints; a damaged page often yields a screenful. */
function summarize(problems: string[]): string {
  const shown = problems.slice(0, 3).map((line) => line.replace(/\s+/g, ' ').trim());
  return problems.length > 3 ? `${shown.join('; ')}; … (${problems.length - 3} more)` : shown.join('; ');
}

function lostOrEmpty(what: string, inGit: MilestoneInGit[], health: DbHealth) {
  if (inGit.length === 0) {
    return { health, findings: [finding('database', 'ok', `${what}; no milestone has run yet`)] };
  }
  const message = `${what} while git holds ${describeGitWork(inGit)}`;
  const fix =
    '`cairn doctor --repair` rebuilds the state from git: merged tasks stay done, the others run again.';
  return { health, findings: [finding('database', 'error', message, fix, { kind: 'rebuild-state' })] };
}

/**
 * The state database: present, a SQLite file, whole (header page count, -wal next to -shm),
 * passing `quick_check` and `integrity_check`, at a schema this Cairn knows.
 */
export function checkDatabase(
  file: string,
  milestones: MilestoneInGit[],
): { health: DbHealth; findings: Finding[] } {
  const inGit = milestones.filter((m) => m.history);
  const damaged = (reason: string) => ({
    health: 'damaged' as const,
    findings: [
      finding('database', 'error', `${file} is damaged: ${reason}`, REBUILD, { kind: 'rebuild-state' }),
    ],
  });
  const state = inspectDbFile(file);
  if (state.kind === 'missing') return lostOrEmpty(`${file} does not exist`, inGit, 'missing');
  if (state.kind === 'empty') return lostOrEmpty(`${file} is empty (0 bytes)`, inGit, 'empty');
  if (state.kind === 'damaged') return damaged(state.reason);
  let full: DbProbe;
  try {
    const quick = probeDatabase(file, 'quick_check');
    if (quick.problems.length > 0) return damaged(`quick_check: ${summarize(quick.problems)}`);
    full = probeDatabase(file, 'integrity_check');
  } catch (error) {
    // Not damage (that is reported above) but something in the way: permissions, a lock.
    const message = `cannot open ${file}: ${(error as Error).message}`;
    return {
      health: 'unreadable',
      findings: [
        finding('database', 'error', message, 'Fix what the message names, then run `cairn doctor` again.'),
      ],
    };
  }
  if (full.problems.length > 0) return damaged(`integrity_check: ${summarize(full.problems)}`);
  if (full.schemaVersion > SCHEMA_VERSION) {
    return {
      health: 'newer',
      findings: [
        finding(
          'database',
          'error',
          `${file} has schema v${full.schemaVersion}, newer than this Cairn (v${SCHEMA_VERSION})`,
          'Upgrade Cairn; the database is not damaged, so --repair leaves it alone.',
        ),
      ],
    };
  }
  if (full.tables === 0) return lostOrEmpty(`${file} holds no tables`, inGit, 'empty');
  const schema =
    full.schemaVersion === SCHEMA_VERSION
      ? `schema v${SCHEMA_VERSION}`
      : `schema v${full.schemaVersion} (migrated to v${SCHEMA_VERSION} by the next run)`;
  return {
    health: 'healthy',
    findings: [
      finding(
        'database',
        'ok',
        `${file}: quick_check and integrity_check ok, ${schema}, ${formatBytes(state.size)}`,
      ),
    ],
  };
}
