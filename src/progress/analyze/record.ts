import { classifyCommit, readTrailers } from './classify-commit.js';
import type { RawCommit } from './log-parser.js';
import type { CommitRecord } from './types.js';

/** Reduces a parsed commit to the record the analysis and the cache keep. */
export function toRecord(raw: RawCommit): CommitRecord {
  const { type, source } = classifyCommit(raw.subject, raw.parents);
  return {
    hash: raw.hash,
    parents: raw.parents,
    author: raw.author,
    email: raw.email,
    authorTime: raw.authorTime,
    commitTime: raw.commitTime,
    type,
    source,
    ...readTrailers(raw.trailers),
    // A merge's diff is the sum of what its parents brought: counting it would count churn twice.
    stats: raw.parents >= 2 ? raw.stats.map(() => 0) : raw.stats,
    binary: raw.parents >= 2 ? 0 : raw.binary,
  };
}
