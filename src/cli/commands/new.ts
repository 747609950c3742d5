import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveRepo } from '../../git/repo.js';
import { listSpecFiles, loadConfig, MILESTONES_DIR } from '../../engine/load.js';
import { scaffoldMilestone, slugify } from '../../spec/index.js';
import { InputError } from '../../shared/errors.js';

/** The next free numeric id, three digits: 001, 002, … */
export function nextMilestoneId(files: string[]): string {
  const numbers = files
    .map((file) => Number.parseInt(path.basename(file), 10))
    .filter((n) => Number.isFinite(n));
  return String(Math.max(0, ...numbers) + 1).padStart(3, '0');
}

export default async function newMilestone(title: string, options: { agent?: string }): Promise<number> {
  if (title.trim() === '') {
    throw new InputError('E_EMPTY_TITLE', 'the milestone title is empty', {
      hint: 'Give it a title: cairn new "User authentication"',
    });
  }
  const repo = await resolveRepo(process.cwd());
  const config = loadConfig(repo.root);
  const id = nextMilestoneId(listSpecFiles(repo.root));
  const file = path.join(repo.root, MILESTONES_DIR, `${id}-${slugify(title)}.yaml`);
  if (existsSync(file))
    throw new InputError('E_EXISTS', `${file} already exists`, { hint: 'Pick another title.' });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    scaffoldMilestone({
      id,
      title: title.trim(),
      base: config.defaults.base,
      agent: options.agent ?? config.defaults.agent,
    }),
  );
  const relative = path.relative(process.cwd(), file);
  process.stdout.write(
    `Created ${relative}\n\nEdit its tasks, then:\n  cairn validate ${id}\n  cairn plan ${id}\n  cairn run ${id}\n`,
  );
  return 0;
}
