import path from 'node:path';
import { resolveRepo } from '../../git/repo.js';
import {
  checkConfig,
  formatProblem,
  listSpecFiles,
  readSpecFile,
  resolveSpecFile,
} from '../../engine/load.js';
import type { Problem } from '../../spec/types.js';
import { duplicateMilestoneIds } from '../../engine/unique-ids.js';
import { paint, printJson } from '../output.js';

/** `cairn validate`: every problem in the config and the named (or every) spec, at once. */
export default async function validate(
  name: string | undefined,
  options: { json?: boolean },
): Promise<number> {
  const repo = await resolveRepo(process.cwd());
  const { config, problems } = checkConfig(repo.root);
  const files = name ? [resolveSpecFile(repo.root, name)] : listSpecFiles(repo.root);
  const duplicates = duplicateMilestoneIds(listSpecFiles(repo.root), repo.root).map((entry) => entry.problem);
  const checked: { file: string; tasks?: number; problems: Problem[] }[] = [];
  for (const file of files) {
    if (!config) break;
    const result = readSpecFile(file, config);
    const clashes = duplicates.filter((problem) => problem.file === file);
    checked.push(
      result.ok && clashes.length === 0
        ? { file, tasks: result.ok ? result.value.tasks.length : 0, problems: [] }
        : { file, problems: [...(result.ok ? [] : result.problems), ...clashes] },
    );
  }
  const all = [...problems, ...checked.flatMap((entry) => entry.problems)];
  if (options.json) {
    printJson({
      ok: all.length === 0,
      files: checked.map((entry) => path.relative(repo.root, entry.file)),
      problems: all.map((p) => ({ ...p, file: path.relative(repo.root, p.file) })),
    });
    return all.length === 0 ? 0 : 2;
  }
  for (const problem of all) process.stderr.write(`${formatProblem(problem, repo.root)}\n`);
  for (const entry of checked) {
    if (entry.problems.length === 0)
      process.stdout.write(
        `${paint('green', 'ok')}  ${path.relative(repo.root, entry.file)} (${entry.tasks} tasks)\n`,
      );
  }
  if (files.length === 0 && problems.length === 0)
    process.stdout.write('No specs in .milestones/ yet; create one with `cairn new "<title>"`.\n');
  if (all.length > 0) {
    process.stderr.write(
      `\n${paint('red', `${all.length} problem${all.length === 1 ? '' : 's'}`)} found; fix them and run \`cairn validate\` again.\n`,
    );
    return 2;
  }
  return 0;
}
