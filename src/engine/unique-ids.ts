import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../spec/types.js';

const ID_LINE = /^id:[ \t]*["']?([^"'\s#]+)["']?/m;

/** The milestone id a spec declares, read without parsing YAML, with its position. */
function declaredId(file: string): { id: string; line: number; col: number } | undefined {
  const text = readFileSync(file, 'utf8');
  const match = ID_LINE.exec(text);
  if (!match?.[1]) return undefined;
  const line = text.slice(0, match.index).split('\n').length;
  return { id: match[1], line, col: 5 };
}

/** Specs that declare an id another spec already declared: ids name branches and journal rows. */
export function duplicateMilestoneIds(files: string[], root: string): { id: string; problem: Problem }[] {
  const first = new Map<string, string>();
  const problems: { id: string; problem: Problem }[] = [];
  for (const file of files) {
    const declared = declaredId(file);
    if (!declared) continue;
    const owner = first.get(declared.id);
    if (!owner) {
      first.set(declared.id, file);
      continue;
    }
    problems.push({
      id: declared.id,
      problem: {
        file,
        line: declared.line,
        col: declared.col,
        path: 'id',
        message: `milestone id "${declared.id}" is already used by ${path.relative(root, owner)}`,
        hint: 'Give each milestone its own id (`cairn new` picks the next free one).',
      },
    });
  }
  return problems;
}
