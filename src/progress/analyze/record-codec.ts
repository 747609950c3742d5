import type { CommitRecord, TypeSource } from './types.js';

const SOURCES: TypeSource[] = ['conventional', 'heuristic', 'merge'];

/** A record as stored: a JSON-ready array, robust to any character in names and trailers. */
export type EncodedRecord = [
  hash: string,
  parents: number,
  author: string,
  email: string,
  authorTime: number,
  commitTime: number,
  type: string,
  source: number,
  agent: string | null,
  milestone: string | null,
  task: string | null,
  binary: number,
  stats: number[],
];

export function encodeRecord(r: CommitRecord): EncodedRecord {
  return [
    r.hash,
    r.parents,
    r.author,
    r.email,
    r.authorTime,
    r.commitTime,
    r.type,
    SOURCES.indexOf(r.source),
    r.agent,
    r.milestone,
    r.task,
    r.binary,
    r.stats,
  ];
}

/** The record, or undefined when the entry is not one (a damaged cache). */
export function decodeRecord(entry: unknown): CommitRecord | undefined {
  if (!Array.isArray(entry) || entry.length !== 13 || typeof entry[0] !== 'string') return undefined;
  const e = entry as EncodedRecord;
  if (!Array.isArray(e[12])) return undefined;
  return {
    hash: e[0],
    parents: e[1],
    author: e[2],
    email: e[3],
    authorTime: e[4],
    commitTime: e[5],
    type: e[6],
    source: SOURCES[e[7]] ?? 'heuristic',
    agent: e[8],
    milestone: e[9],
    task: e[10],
    binary: e[11],
    stats: e[12],
  };
}
