import { matchesAnyGlob } from './glob.js';

const WILD = /[*?[{]/;

/** The literal part of a glob before its first wildcard, without `./` and trailing slashes. */
function literalPrefix(glob: string): { prefix: string; literal: boolean } {
  const clean = glob.replace(/^(\.\/)+/, '');
  const at = clean.search(WILD);
  return at < 0
    ? { prefix: clean.replace(/\/+$/, ''), literal: true }
    : { prefix: clean.slice(0, at), literal: false };
}

/** Whether `a` is `b` or a folder above it (`src` is above `src/x.ts`, not above `srcx`). */
function isAbove(a: string, b: string): boolean {
  return a === '' || b === a || b.startsWith(a.endsWith('/') ? a : `${a}/`);
}

/**
 * Whether two globs can match a common path. Exact when either is a plain path (it is matched
 * against the other); otherwise conservative: they overlap when one's literal prefix lies within
 * the other's (`src/**` and `src/auth/*.ts` do, `src/a*.ts` and `src/b*.ts` do not).
 */
export function globsOverlap(a: string, b: string): boolean {
  const pa = literalPrefix(a);
  const pb = literalPrefix(b);
  if (pa.literal && pb.literal) return isAbove(pa.prefix, pb.prefix) || isAbove(pb.prefix, pa.prefix);
  if (pa.literal) return matchesAnyGlob(pa.prefix, [b]) || isAbove(pa.prefix, pb.prefix);
  if (pb.literal) return matchesAnyGlob(pb.prefix, [a]) || isAbove(pb.prefix, pa.prefix);
  return pa.prefix.startsWith(pb.prefix) || pb.prefix.startsWith(pa.prefix);
}

/** Why two task scopes overlap (`src/auth/** and src/auth/login.ts`), or undefined when they do not. */
export function scopesOverlap(a: readonly string[], b: readonly string[]): string | undefined {
  for (const x of a) for (const y of b) if (globsOverlap(x, y)) return `${x} and ${y}`;
  return undefined;
}

export interface ScopedTask {
  id: string;
  files: string[];
  overlap?: 'allow' | 'serialize';
}

/**
 * Pairs of tasks whose scopes overlap and that may not run at the same time: unscoped tasks and
 * tasks marked `overlap: allow` are never held back. Each pair comes with the reason.
 */
export function keptApart(tasks: readonly ScopedTask[]): { tasks: [string, string]; why: string }[] {
  const scoped = tasks.filter((t) => t.files.length > 0 && t.overlap !== 'allow');
  const pairs: { tasks: [string, string]; why: string }[] = [];
  for (let i = 0; i < scoped.length; i++) {
    for (let j = i + 1; j < scoped.length; j++) {
      const why = scopesOverlap(scoped[i]!.files, scoped[j]!.files);
      if (why) pairs.push({ tasks: [scoped[i]!.id, scoped[j]!.id], why });
    }
  }
  return pairs;
}
