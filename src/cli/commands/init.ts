import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveRepo } from '../../git/repo.js';
import { git } from '../../git/git.js';
import { CONFIG_FILE, MILESTONES_DIR } from '../../engine/load.js';
import { defaultConfigText } from '../../engine/config-template.js';

/** `cairn init`: creates `.milestones/` and `.cairn/config.yaml`; never overwrites. */
export default async function init(): Promise<number> {
  const repo = await resolveRepo(process.cwd());
  const created: string[] = [];
  const milestones = path.join(repo.root, MILESTONES_DIR);
  if (!existsSync(milestones)) {
    mkdirSync(milestones, { recursive: true });
    writeFileSync(path.join(milestones, '.gitkeep'), '');
    created.push(`${MILESTONES_DIR}/`);
  }
  const config = path.join(repo.root, CONFIG_FILE);
  if (!existsSync(config)) {
    mkdirSync(path.dirname(config), { recursive: true });
    const base =
      (await git(repo.root, ['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => 'main')) || 'main';
    writeFileSync(config, defaultConfigText(base));
    created.push(CONFIG_FILE);
  }
  const out = process.stdout;
  out.write(
    created.length > 0
      ? `Initialized Cairn in ${repo.root}: created ${created.join(', ')}\n`
      : `Cairn is already set up in ${repo.root}; nothing changed.\n`,
  );
  out.write(`State (journal, logs, worktrees) lives in ${repo.stateDir}, never committed.\n\n`);
  out.write('Next steps:\n');
  out.write(
    '  1. Choose your agent in .cairn/config.yaml (defaults.agent: claude, codex, aider, gemini, or your own).\n',
  );
  out.write('  2. cairn new "My first milestone"     # scaffolds .milestones/001-my-first-milestone.yaml\n');
  out.write('  3. cairn validate && cairn plan 001   # check it, see its waves\n');
  out.write(
    '  4. cairn run 001                      # agents work; cairn status 001 shows where it stands\n',
  );
  out.write('  5. cairn land 001                     # integration, then merge into the base branch\n');
  return 0;
}
