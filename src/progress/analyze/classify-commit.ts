import type { TypeSource } from './types.js';

/** The Conventional Commits types, and spellings people use for them. */
const CONVENTIONAL: Record<string, string> = {
  feat: 'feat',
  feature: 'feat',
  fix: 'fix',
  bugfix: 'fix',
  hotfix: 'fix',
  docs: 'docs',
  doc: 'docs',
  style: 'style',
  refactor: 'refactor',
  perf: 'perf',
  test: 'test',
  tests: 'test',
  build: 'build',
  ci: 'ci',
  chore: 'chore',
  revert: 'revert',
};

const conventionalSubject = /^([A-Za-z]+)(?:\([^()\r\n]*\))?!?:\s*\S/;

/**
 * Heuristics for subjects that do not follow Conventional Commits, tried in order: the first
 * match wins, so "fix typo in docs" is a fix and "add tests" is a test.
 */
const HEURISTICS: [type: string, pattern: RegExp][] = [
  ['merge', /^merge\b/],
  ['revert', /^revert\b/],
  [
    'fix',
    /\b(fix(e[sd]|ing)?|bugs?|typos?|hotfix|patch(ed)?|repair(ed)?|correct(ed|s)?|resolve[sd]?|crash(es)?|broken|regression)\b/,
  ],
  ['test', /\b(tests?|testing|specs?|coverage|e2e)\b/],
  ['docs', /\b(docs?|documentation|documented|readme|changelog|comments?|guide|tutorial)\b/],
  ['style', /\b(format(ting)?|lint(ing)?|whitespace|prettier|indent(ation)?|code style)\b/],
  ['perf', /\b(perf|performance|speed ?up|faster|optimi[sz](e[sd]?|ation))\b/],
  ['ci', /\b(ci|pipelines?|workflows?|github actions)\b/],
  ['build', /\b(deps|dependenc(y|ies)|bump(ed|s)?|upgrade[sd]?|build|makefile|dockerfile|package\.json)\b/],
  [
    'refactor',
    /\b(refactor(ed|ing|s)?|clean ?up|cleanups?|restructure[sd]?|simplif(y|ied|ies)|reorgani[sz]e[sd]?|rename[sd]?|move[sd]?|extract(ed|s)?|tidy)\b/,
  ],
  [
    'feat',
    /^(add(s|ed|ing)?|implement(s|ed)?|introduce[sd]?|create[sd]?|new|support(s)?|allow(s)?|enable[sd]?)\b/,
  ],
  [
    'chore',
    /\b(initial (commit|import)|chore|release[sd]?|version|wip|update[sd]?|changes?|misc|config(uration)?)\b/,
  ],
];

/**
 * The type of a commit: a merge (two or more parents) is `merge`; a Conventional Commits subject
 * gives its type; anything else is classified by `HEURISTICS`, `other` when none matches.
 */
export function classifyCommit(subject: string, parents: number): { type: string; source: TypeSource } {
  if (parents >= 2) return { type: 'merge', source: 'merge' };
  const match = conventionalSubject.exec(subject);
  const conventional = match?.[1] ? CONVENTIONAL[match[1].toLowerCase()] : undefined;
  if (conventional) return { type: conventional, source: 'conventional' };
  const text = subject.toLowerCase();
  for (const [type, pattern] of HEURISTICS) if (pattern.test(text)) return { type, source: 'heuristic' };
  return { type: 'other', source: 'heuristic' };
}

/** The `Agent:`, `Milestone:` and `Task:` trailers (keys match case-insensitively, first value wins). */
export function readTrailers(text: string): {
  agent: string | null;
  milestone: string | null;
  task: string | null;
} {
  const found = {
    agent: null as string | null,
    milestone: null as string | null,
    task: null as string | null,
  };
  if (text === '') return found;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (value === '') continue;
    if ((key === 'agent' || key === 'milestone' || key === 'task') && found[key] === null) found[key] = value;
  }
  return found;
}
