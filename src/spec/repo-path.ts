import path from 'node:path';

/**
 * Why a path written in a spec cannot name a place inside the repository's working tree
 * (absolute, climbing out with `..`, empty, or git's own directory); undefined when it can.
 * Symbolic links are checked on disk, before a run (engine/workspace).
 */
export function repoPathProblem(value: string): string | undefined {
  if (value.trim() === '') return 'is empty';
  if (path.isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value)) return 'is absolute';
  const parts = value.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) return 'climbs out with `..`';
  if (parts.length === 0) return 'names the repository itself';
  if (parts[0] === '.git') return "names git's own directory";
  return undefined;
}

/** The path with `./` and doubled slashes removed, as Cairn compares and joins it. */
export function normalizeRepoPath(value: string): string {
  return value
    .split(/[\\/]+/)
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}
