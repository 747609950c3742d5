import { LineCounter, parseDocument } from 'yaml';
import type { Document, ErrorCode, Node } from 'yaml';
import type { Problem } from './types.js';

/** A parsed YAML file and the problems found in it so far. */
export interface Source {
  file: string;
  text: string;
  doc: Document;
  lines: LineCounter;
  problems: Problem[];
}

const SYNTAX_HINTS: Partial<Record<ErrorCode, string>> = {
  BAD_INDENT:
    'check the indentation (spaces, keys of one mapping aligned) and that every `[` and `{` is closed',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MISSING_CHAR: 'add the missing closing quote, `]` or `}`',
  BLOCK_AS_IMPLICIT_KEY: 'quote values that contain ": ", e.g. title: "Fix: login"',
  MULTILINE_IMPLICIT_KEY: 'quote values that contain ": ", or put a space after each key\'s ":"',
  MULTIPLE_DOCS: 'keep one document per file: remove the extra `---`',
  BAD_ALIAS: 'define the anchor (`&name`) before using it (`*name`)',
  BAD_SCALAR_START: 'quote values that start with a special character such as `@`, `` ` `` or `%`',
  BAD_DQ_ESCAPE: 'use single quotes, or escape backslashes as `\\\\`',
};

/**
 * Parses YAML keeping positions. Duplicate keys are left to the readers, which can say
 * which path they are under and where the first one is.
 */
export function loadYaml(text: string, file: string): Source {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const source: Source = { file, text, doc, lines, problems: [] };
  for (const error of doc.errors) {
    const message = error.message.replace(/;? ?please use .*$/i, '');
    const hint = SYNTAX_HINTS[error.code] ?? 'fix the YAML syntax at this position';
    reportAt(source, error.pos[0], '', `invalid YAML: ${lowerFirst(message)}`, hint);
  }
  return source;
}

export function reportAt(source: Source, offset: number, path: string, message: string, hint: string): void {
  const { line, col } = source.lines.linePos(offset);
  source.problems.push({ file: source.file, line, col, path, message, hint });
}

/** Records a problem at the start of a node (the whole file's start if it has no range). */
export function report(
  source: Source,
  node: Node | null | undefined,
  path: string,
  message: string,
  hint: string,
): void {
  reportAt(source, node?.range?.[0] ?? 0, path, message, hint);
}

/** "line 3, col 5" for hints that point elsewhere in the file. */
export function describePosition(source: Source, node: Node): string {
  const { line, col } = source.lines.linePos(node.range?.[0] ?? 0);
  return `line ${line}, col ${col}`;
}

/** Problems in reading order, so the first one printed is the first one in the file. */
export function sortedProblems(source: Source): Problem[] {
  return [...source.problems].sort((a, b) => a.line - b.line || a.col - b.col);
}

/** `tasks[3]`, `agents.coder`, or `env["MY VAR"]` when the key is not a plain name. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!/^[A-Za-z_][\w-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
