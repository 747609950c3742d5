import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readProgress } from '../../engine/progress.js';
import { resolveRepo } from '../../git/repo.js';
import { renderHtml } from '../../progress/report/html.js';
import { renderMarkdown } from '../../progress/report/markdown.js';
import { buildReport } from '../../progress/report/model.js';
import { InputError } from '../../shared/errors.js';

export type ReportFormat = 'md' | 'json' | 'html';

/** Writes next to the target then renames, so a reader never sees half a report. */
function writeOut(file: string, text: string): void {
  const dir = path.dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('E_OUT_DIR', `cannot write ${file}: directory ${dir} does not exist`, {
      hint: 'Create the directory first, or name a file in an existing one.',
    });
  }
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new InputError('E_OUT_DIR', `cannot write ${file}: it is a directory`, {
      hint: 'Name a file, e.g. --out report.html',
    });
  }
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** `cairn report`: a milestone's progress as Markdown (pull requests), JSON, or standalone HTML. */
export default async function report(
  name: string,
  options: { format: ReportFormat; out?: string },
): Promise<number> {
  const repo = await resolveRepo(process.cwd());
  const result = await readProgress(repo, name, process.cwd());
  const history = result.history.map((s) => ({ at: s.at, overall: s.overall }));
  const data = buildReport(result.report, result.input, history);
  const text =
    options.format === 'json'
      ? `${JSON.stringify(data, null, 2)}\n`
      : options.format === 'html'
        ? renderHtml(data)
        : renderMarkdown(data);
  if (!options.out) {
    process.stdout.write(text);
    return 0;
  }
  const file = path.resolve(process.cwd(), options.out);
  writeOut(file, text);
  process.stderr.write(
    `wrote ${path.relative(process.cwd(), file) || file} (${options.format}, ${Buffer.byteLength(text)} bytes)\n`,
  );
  return 0;
}
