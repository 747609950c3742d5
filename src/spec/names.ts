/** Edit distance between two strings (insertions, deletions, substitutions). */
export function levenshtein(a: string, b: string): number {
  // One row at a time: ids and keys are short, so this stays trivially cheap.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `name`, if it is close enough to be a plausible typo:
 * distance at most max(2, a third of the name's length). Earlier candidates win ties.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(name, candidate);
    // A distance equal to the longer length means nothing is shared: not a typo of it.
    const related = distance < Math.max(name.length, candidate.length);
    if (related && distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** "did you mean `x`?" when a close name exists, else the list of what is allowed. */
export function suggestName(name: string, candidates: readonly string[], noun = 'one of'): string {
  const close = closestName(name, candidates);
  if (close !== undefined) return `did you mean \`${close}\`?`;
  if (candidates.length === 0) return '';
  return `use ${noun}: ${candidates.map((c) => `\`${c}\``).join(', ')}`;
}
