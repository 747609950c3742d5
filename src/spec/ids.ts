export const MILESTONE_ID_PATTERN = '^[a-z0-9][a-z0-9-]*$';
export const TASK_ID_PATTERN = '^[a-z0-9][a-z0-9._-]*$';

const MILESTONE_ID = new RegExp(MILESTONE_ID_PATTERN);
const TASK_ID = new RegExp(TASK_ID_PATTERN);

/** Milestone ids end up in branch names (`milestone/<id>-<slug>`): digits or [a-z0-9-]. */
export function isSafeMilestoneId(id: string): boolean {
  return MILESTONE_ID.test(id);
}

/**
 * Task ids become part of `feature/milestone-<id>-<task>`; beyond the character set,
 * git refuses "..", a trailing "." and a trailing ".lock" in ref names.
 */
export function isSafeTaskId(id: string): boolean {
  return TASK_ID.test(id) && !id.includes('..') && !id.endsWith('.') && !id.endsWith('.lock');
}

const SLUG_MAX = 40;

/** A branch- and file-name-safe slug of a title; never empty. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // drop accents so "Café" becomes "cafe", not "caf"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return slug === '' ? 'milestone' : slug;
}

/** Phase names appear in file names, the environment (`CAIRN_PHASE`) and the journal. */
export const PHASE_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,31}$';

export function isSafePhaseName(name: string): boolean {
  return new RegExp(PHASE_NAME_PATTERN).test(name);
}
