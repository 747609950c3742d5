import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findExecutable } from '../../agents/executable.js';
import { mergeProfiles, type AgentProfile } from '../../agents/profiles.js';
import { formatProblem, listSpecFiles, loadConfig, MILESTONES_DIR } from '../../engine/load.js';
import { draftSpec, type DraftResult } from '../../engine/spec-draft/draft-spec.js';
import { resolveRepo, type RepoPaths } from '../../git/repo.js';
import { InputError } from '../../shared/errors.js';
import { closestName, slugify } from '../../spec/index.js';
import { askYesNo } from '../confirm.js';
import { createDraftProgress } from '../draft-progress.js';
import { newFileDiff } from '../new-file-diff.js';
import { abortOnSignals } from '../signals.js';
import { paint, printJson } from '../output.js';
import { nextMilestoneId } from './new.js';

export interface FromGoalOptions {
  fromGoal: string;
  agent?: string;
  yes?: boolean;
  json?: boolean;
}

/** The profile named by `--agent` (or the default), with a binary that can be started. */
function pickProfile(profiles: Record<string, AgentProfile>, name: string, root: string): AgentProfile {
  const profile = profiles[name];
  if (!profile) {
    const close = closestName(name, Object.keys(profiles));
    throw new InputError('E_UNKNOWN_AGENT', `unknown agent profile "${name}"`, {
      hint: `${close ? `Did you mean "${close}"? ` : ''}Known profiles: ${Object.keys(profiles).join(', ')} (add your own under agents: in .cairn/config.yaml).`,
    });
  }
  const program = profile.command[0] ?? '';
  if (!findExecutable(program, root)) {
    throw new InputError(
      'E_AGENT_MISSING',
      `agent profile "${name}": \`${program}\` is not on PATH or not executable`,
      {
        hint: 'Install the agent, or pick another with --agent (profiles are in .cairn/config.yaml).',
      },
    );
  }
  return profile;
}

function report(repo: RepoPaths, file: string, result: DraftResult, written: boolean, json: boolean): void {
  if (!json) return;
  printJson({
    file: path.relative(repo.root, file),
    written,
    rounds: result.rounds,
    problems: result.problems.map((p) => ({ ...p, file: path.relative(repo.root, p.file) })),
    draft: written ? null : result.draftFile,
  });
}

/**
 * `cairn new --from-goal "<goal>"`: an agent drafts the spec, Cairn validates it (feeding the
 * problems back, 3 rounds at most), shows it as a diff and writes it once confirmed.
 * Exit codes: 0 written or declined, 1 not confirmed (no terminal, no --yes) or the agent
 * failed, 2 bad input or still invalid after the last round, 130 interrupted.
 */
export default async function newFromGoal(
  title: string | undefined,
  options: FromGoalOptions,
): Promise<number> {
  const goal = options.fromGoal.trim();
  if (title !== undefined) {
    throw new InputError('E_TITLE_AND_GOAL', 'give either a title or --from-goal, not both', {
      hint: 'cairn new "<title>" scaffolds an example spec; cairn new --from-goal "<goal>" has an agent write it.',
    });
  }
  if (goal === '') {
    throw new InputError('E_EMPTY_GOAL', 'the goal given to --from-goal is empty', {
      hint: 'Describe what the milestone should achieve: cairn new --from-goal "Users can sign in with GitHub"',
    });
  }
  const repo = await resolveRepo(process.cwd());
  const config = loadConfig(repo.root);
  const profiles = mergeProfiles(config.agents);
  const profile = pickProfile(profiles, options.agent ?? config.defaults.agent, repo.root);
  const id = nextMilestoneId(listSpecFiles(repo.root));
  const file = path.join(repo.root, MILESTONES_DIR, `${id}-${slugify(goal)}.yaml`);
  const relative = path.relative(repo.root, file);
  if (existsSync(file))
    throw new InputError('E_EXISTS', `${relative} already exists`, { hint: 'Reword the goal.' });
  const dir = path.join(repo.stateDir, 'drafts', `${id}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });

  const progress = createDraftProgress(profile.name, profile.timeoutMs ?? config.defaults.timeoutMs);
  const interrupt = abortOnSignals();
  let result: DraftResult;
  try {
    result = await draftSpec({
      goal,
      root: repo.root,
      stateDir: repo.stateDir,
      config,
      profile,
      profiles,
      id,
      specFile: relative,
      dir,
      signal: interrupt.signal,
      onEvent: progress.onEvent,
    });
  } finally {
    progress.dispose();
    interrupt.dispose();
  }

  if (result.problems.length > 0) {
    report(repo, file, result, false, options.json === true);
    if (options.json) return 2;
    throw new InputError(
      'E_DRAFT_INVALID',
      `the spec is still invalid after ${result.rounds} rounds; nothing was written`,
      {
        details: result.problems.map((problem) => formatProblem(problem, repo.root)),
        hint: `The last draft is kept at ${result.draftFile}: fix it and copy it to ${relative}, or run again with a more precise goal.`,
      },
    );
  }

  const diff = newFileDiff(relative, result.yaml, !options.json && process.stdout.isTTY === true);
  (options.json ? process.stderr : process.stdout).write(diff);
  const tty = process.stdin.isTTY === true;
  const confirmed =
    options.yes === true ||
    (tty &&
      (await askYesNo(
        `Write ${relative}?`,
        `nothing was written; the draft is kept at ${result.draftFile}`,
      )));
  if (!confirmed) {
    report(repo, file, result, false, options.json === true);
    if (!options.json) {
      const why = tty
        ? 'Not written.'
        : `${paint('red', 'not written:')} confirmation needed and stdin is not a terminal.`;
      process.stderr.write(`${why} The draft is kept at ${result.draftFile}\n`);
      if (!tty)
        process.stderr.write(
          `${paint('cyan', 'hint:')} run again with --yes to write without asking, or copy the draft to ${relative}.\n`,
        );
    }
    return tty ? 0 : 1;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, result.yaml, { flag: 'wx' });
  rmSync(dir, { recursive: true, force: true });
  report(repo, file, result, true, options.json === true);
  if (!options.json) {
    const rounds = `${result.rounds} round${result.rounds === 1 ? '' : 's'}`;
    process.stdout.write(
      `Created ${path.relative(process.cwd(), file)} (${rounds})\n\nReview its tasks, then:\n  cairn plan ${id}\n  cairn run ${id}\n`,
    );
  }
  return 0;
}
