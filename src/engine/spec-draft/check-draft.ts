import type { CairnConfig, Problem } from '../../spec/types.js';
import { listSpecFiles, readSpecFile } from '../load.js';
import { duplicateMilestoneIds } from '../unique-ids.js';

/** The line of the top-level `id:` key (1 when there is none). */
function idLine(text: string): number {
  const match = /^id:/m.exec(text);
  return match ? text.slice(0, match.index).split('\n').length : 1;
}

/**
 * Every problem `cairn validate` would report for a draft saved at `draftFile`, plus one when
 * the draft does not keep the milestone id Cairn chose for it.
 */
export function checkDraft(
  draftFile: string,
  text: string,
  options: { root: string; config: CairnConfig; id: string },
): Problem[] {
  const result = readSpecFile(draftFile, options.config);
  const problems = result.ok ? [] : [...result.problems];
  const clashes = duplicateMilestoneIds([...listSpecFiles(options.root), draftFile], options.root)
    .map((entry) => entry.problem)
    .filter((problem) => problem.file === draftFile);
  problems.push(...clashes);
  if (result.ok && result.value.id !== options.id && clashes.length === 0) {
    problems.push({
      file: draftFile,
      line: idLine(text),
      col: 5,
      path: 'id',
      message: `the milestone id is "${result.value.id}", but this milestone is "${options.id}"`,
      hint: `Write id: "${options.id}" (the next free id; the file name uses it).`,
    });
  }
  return problems;
}
