/** What eviction knows of one cache entry. */
export interface CacheEntryInfo {
  key: string;
  bytes: number;
  /** Last restored or written, in ms since the epoch. */
  lastUsedMs: number;
}

export interface CacheLimits {
  maxBytes: number;
  maxAgeMs: number;
}

/**
 * The entries to remove: those unused for longer than the age limit, then the least recently
 * used until the rest fit in the size limit. Entries in `keep` (in use by this run) stay.
 */
export function chooseEvictions(
  entries: CacheEntryInfo[],
  limits: CacheLimits,
  nowMs: number,
  keep: ReadonlySet<string> = new Set(),
): string[] {
  const evicted = new Set<string>();
  for (const entry of entries) {
    if (!keep.has(entry.key) && nowMs - entry.lastUsedMs > limits.maxAgeMs) evicted.add(entry.key);
  }
  let total = entries.filter((e) => !evicted.has(e.key)).reduce((sum, e) => sum + e.bytes, 0);
  const oldestFirst = [...entries].sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  for (const entry of oldestFirst) {
    if (total <= limits.maxBytes) break;
    if (evicted.has(entry.key) || keep.has(entry.key)) continue;
    evicted.add(entry.key);
    total -= entry.bytes;
  }
  return entries.filter((e) => evicted.has(e.key)).map((e) => e.key);
}
