import type { ContextEntry, ContextScope, ContextVersion } from '../../bus/context-types.js';
import { MERGE_POLICIES, type MergePolicy } from '../../bus/merge-policy.js';
import { parseClock } from '../../bus/vector-clock.js';
import type { CoordinationSession } from '../../engine/coordination-session.js';
import { InputError, WorkFailedError } from '../../shared/errors.js';
import { jsonArg } from '../coordination-args.js';
import { clock, formatTable, printJson } from '../output.js';
import { withSession, type SessionFlags } from './msg.js';

export interface CtxFlags extends SessionFlags {
  task?: string;
}

export function scopeOf(session: CoordinationSession, flags: CtxFlags): ContextScope {
  if (flags.task === undefined) return { milestone: session.milestone };
  if (!session.directory.tasks.includes(flags.task)) {
    throw new InputError('E_CTX_SCOPE', `milestone ${session.milestone} has no task "${flags.task}"`, {
      hint: `Scope keys to one of: ${session.directory.tasks.join(', ')}`,
    });
  }
  return { milestone: session.milestone, task: flags.task };
}

const show = (value: unknown) => (value === undefined ? '(deleted)' : JSON.stringify(value));

export function entryJson(entry: ContextEntry) {
  return { ...entry, value: entry.value ?? null, updatedAt: new Date(entry.updatedAt).toISOString() };
}

function entryText(entry: ContextEntry): string {
  const head = `${entry.key} = ${entry.conflict ? '(conflict)' : show(entry.value)}`;
  const meta = `v${entry.version} · ${entry.policy} · clock ${JSON.stringify(entry.clock)}`;
  const lines = [head, `  ${meta}`];
  if (entry.siblings.length > 1) {
    lines.push(`  ${entry.siblings.length} siblings (concurrent writes, resolved by ${entry.policy}):`);
    for (const s of entry.siblings) lines.push(`    v${s.version} by ${s.writer}: ${show(s.value)}`);
    if (entry.conflict)
      lines.push('  write the resolution with: cairn ctx set <key> <value> (after this read)');
  }
  return lines.join('\n');
}

/** `cairn ctx get <key>`: the value, recorded as read (your next write descends from it). Exit 1 when unset. */
export async function get(key: string, flags: CtxFlags): Promise<number> {
  return withSession(flags, (session) => {
    const entry = session.coordination.context.get(scopeOf(session, flags), key, session.me[0]);
    if (!entry) {
      if (flags.json) printJson(null);
      throw new WorkFailedError('E_CTX_UNSET', `context key ${key} is not set`, {
        hint: 'See the keys with: cairn ctx list',
      });
    }
    if (flags.json) printJson(entryJson(entry));
    else process.stdout.write(`${entryText(entry)}\n`);
    return 0;
  });
}

interface SetFlags extends CtxFlags {
  policy?: string;
  clock?: string;
  strict?: boolean;
  text?: boolean;
}

function policyArg(text: string | undefined): MergePolicy | undefined {
  if (text === undefined) return undefined;
  if ((MERGE_POLICIES as readonly string[]).includes(text)) return text as MergePolicy;
  throw new InputError('E_CTX_POLICY', `unknown policy "${text}"`, {
    hint: `Use one of: ${MERGE_POLICIES.join(', ')}`,
  });
}

function clockArg(text: string | undefined) {
  if (text === undefined) return undefined;
  const parsed = parseClock(text);
  if (typeof parsed === 'string') {
    throw new InputError('E_CTX_CLOCK', `--clock ${text}: ${parsed}`, {
      hint: 'Pass the clock printed by `cairn ctx get <key> --json`, e.g. --clock \'{"task:a":2}\'.',
    });
  }
  return parsed;
}

async function write(key: string, value: unknown, deleted: boolean, flags: SetFlags): Promise<number> {
  const policy = policyArg(flags.policy);
  const given = clockArg(flags.clock);
  return withSession(flags, (session) => {
    const result = session.coordination.context.set(scopeOf(session, flags), key, value, {
      writer: session.me[0]!,
      deleted,
      ...(policy ? { policy } : {}),
      ...(given ? { clock: given } : {}),
      ...(flags.strict ? { strict: true } : {}),
    });
    if (flags.json) {
      printJson({
        outcome: result.outcome,
        superseded: result.superseded,
        written: result.written,
        entry: entryJson(result.entry),
      });
      return 0;
    }
    const others = result.entry.siblings.filter((s) => s.version !== result.written.version);
    const how =
      result.outcome === 'replaced'
        ? result.superseded.length > 0
          ? `replaced v${result.superseded.join(', v')}`
          : 'first version'
        : `kept as a sibling of v${others.map((s) => s.version).join(', v')} (${result.outcome === 'stale' ? 'stale clock' : 'concurrent write'})`;
    process.stdout.write(`${key} v${result.written.version} ${how}\n`);
    if (result.outcome !== 'replaced') process.stdout.write(`${entryText(result.entry)}\n`);
    return 0;
  });
}

/** `cairn ctx set <key> <json>`. */
export async function set(key: string, text: string, flags: SetFlags): Promise<number> {
  return write(key, jsonArg(text, `value of ${key}`, flags.text), false, flags);
}

/** `cairn ctx del <key>`: a tombstone, clocked like any write. */
export async function del(key: string, flags: SetFlags): Promise<number> {
  return write(key, undefined, true, flags);
}

/** `cairn ctx list`: every key of the scope with its value, version and readers. */
export async function list(flags: CtxFlags): Promise<number> {
  return withSession(flags, (session) => {
    const scope = scopeOf(session, flags);
    const entries = session.coordination.context.list(scope);
    const convergence = session.coordination.context
      .convergence(session.milestone)
      .filter((c) => c.task === (scope.task ?? null));
    if (flags.json) {
      printJson(
        entries.map((entry) => ({
          ...entryJson(entry),
          convergence: convergence.find((c) => c.key === entry.key) ?? null,
        })),
      );
      return 0;
    }
    if (entries.length === 0) {
      process.stdout.write('no context keys yet; write one with: cairn ctx set <key> <json>\n');
      return 0;
    }
    const rows = entries.map((entry) => {
      const seen = convergence.find((c) => c.key === entry.key);
      const value = entry.conflict ? `(conflict: ${entry.siblings.length} siblings)` : show(entry.value);
      return [
        entry.key,
        `v${entry.version}`,
        entry.policy,
        seen ? `${seen.onLatest}/${seen.readers}` : '-',
        value.slice(0, 60),
      ];
    });
    process.stdout.write(`${formatTable(['KEY', 'VERSION', 'POLICY', 'READ LATEST', 'VALUE'], rows)}\n`);
    return 0;
  });
}

function versionLine(v: ContextVersion): string[] {
  return [
    `v${v.version}`,
    clock(new Date(v.writtenAt)),
    v.writer,
    v.outcome,
    v.current ? 'current' : '',
    JSON.stringify(v.clock),
    show(v.value).slice(0, 50),
  ];
}

/** `cairn ctx history <key>`: every write, with its clock and how it landed. */
export async function history(key: string, flags: CtxFlags): Promise<number> {
  return withSession(flags, (session) => {
    const versions = session.coordination.context.history(scopeOf(session, flags), key);
    if (flags.json)
      printJson(
        versions.map((v) => ({
          ...v,
          value: v.value ?? null,
          writtenAt: new Date(v.writtenAt).toISOString(),
        })),
      );
    else if (versions.length === 0) process.stdout.write(`context key ${key} was never written\n`);
    else
      process.stdout.write(
        `${formatTable(['VERSION', 'TIME', 'WRITER', 'OUTCOME', 'STATE', 'CLOCK', 'VALUE'], versions.map(versionLine))}\n`,
      );
    return 0;
  });
}
