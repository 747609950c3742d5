import type { Frequency, FrequencyPattern } from './types.js';

/** Below this many commits there is no rhythm to speak of: the pattern is `sparse`. */
export const MIN_COMMITS = 3;
/** A mean gap longer than a week is `sparse`, whatever the regularity. */
export const SPARSE_MEAN_GAP_HOURS = 7 * 24;
/**
 * Gaps more irregular than this coefficient of variation are a `burst` pattern. Commits at random
 * times (a Poisson process) have exponential gaps, whose CV is 1: above it, commits cluster.
 */
export const BURST_CV = 1;

const HOUR = 3600;

/**
 * The commit frequency pattern of a set of commit times (seconds; any order, duplicates allowed).
 * Gaps are taken between consecutive times once sorted, so they are never negative, whatever the
 * clocks said. See docs/progress.md, "Commit analysis", for the definition.
 */
export function frequencyOf(times: ArrayLike<number>): Frequency {
  const sorted = Float64Array.from(times).sort();
  const n = sorted.length;
  const span = n > 1 ? (sorted[n - 1]! - sorted[0]!) / HOUR : 0;
  if (n < 2) {
    return {
      pattern: 'sparse',
      commits: n,
      span_hours: 0,
      mean_gap_hours: null,
      median_gap_hours: null,
      cv: null,
    };
  }
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) gaps[i - 1] = (sorted[i]! - sorted[i - 1]!) / HOUR;
  const mean = span / gaps.length;
  let squares = 0;
  for (const gap of gaps) squares += (gap - mean) ** 2;
  const sd = Math.sqrt(squares / gaps.length);
  const cv = mean > 0 && gaps.length >= 2 ? sd / mean : null;
  gaps.sort();
  const mid = gaps.length >> 1;
  const median = gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  return {
    pattern: patternOf(n, mean, cv),
    commits: n,
    span_hours: round(span),
    mean_gap_hours: round(mean),
    median_gap_hours: round(median),
    cv: cv === null ? null : round(cv),
  };
}

export function patternOf(commits: number, meanGapHours: number, cv: number | null): FrequencyPattern {
  if (commits < MIN_COMMITS || meanGapHours > SPARSE_MEAN_GAP_HOURS) return 'sparse';
  // All commits in the same second: as bursty as it gets.
  if (cv === null) return 'burst';
  return cv > BURST_CV ? 'burst' : 'steady';
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
