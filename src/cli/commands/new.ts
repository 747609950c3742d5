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

export interface NewOptions {
  agent?: string;
  fromGoal?: string;
  yes?: boolean;
  json?: boolean;
}

/** `cairn new "<title>"` scaffolds an example spec; `--from-goal` has an agent write one. */
export default async function newMilestone(title: string | undefined, options: NewOptions): Promise<number> {
  if (options.fromGoal !== undefined) {
    const { default: newFromGoal } = await import('./new-from-goal.js');
    return newFromGoal(title, { ...options, fromGoal: options.fromGoal });
  }
  if (title === undefined) {
    throw new InputError('E_NO_TITLE', 'cairn new needs a title or --from-goal', {
      hint: 'cairn new "User authentication", or cairn new --from-goal "Users can sign in with GitHub" --agent claude (see cairn new --help)',
    });
  }
  if (options.yes || options.json) {
    throw new InputError(
      'E_GOAL_OPTION',
      `${options.yes ? '--yes' : '--json'} only applies with --from-goal`,
      {
        hint: 'cairn new "<title>" writes its example spec at once.',
      },
    );
  }
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
