import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { closestName, parseConfig, parseMilestoneSpec } from '../spec/index.js';
import type { CairnConfig, LoadResult, MilestoneSpec, Problem } from '../spec/types.js';
import { InputError } from '../shared/errors.js';
import { mergeProfiles, type AgentProfile } from '../agents/profiles.js';
import { duplicateMilestoneIds } from './unique-ids.js';

export const MILESTONES_DIR = '.milestones';
export const CONFIG_FILE = path.join('.cairn', 'config.yaml');

/** One problem per line, as editors and terminals link them: `file:line:col: path: message (hint)`. */
export function formatProblem(problem: Problem, root: string): string {
  const file = path.relative(root, problem.file) || problem.file;
  const where = problem.path === '' ? '' : ` ${problem.path}:`;
  return `${file}:${problem.line}:${problem.col}:${where} ${problem.message}\n    hint: ${problem.hint}`;
}

function problemsError(problems: Problem[], root: string, what: string): InputError {
  return new InputError(
    'E_INVALID_SPEC',
    `${what} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    {
      details: problems.map((problem) => formatProblem(problem, root)),
      hint: 'Fix each problem above (file:line:col), then run `cairn validate`.',
    },
  );
}

export function loadConfig(root: string): CairnConfig {
  const { config, problems } = checkConfig(root);
  if (!config) throw problemsError(problems, root, CONFIG_FILE);
  return config;
}

/** Every `.milestones/*.yaml` file, sorted by name. */
export function listSpecFiles(root: string): string[] {
  const dir = path.join(root, MILESTONES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Finds a milestone's spec by id (`001`), `id-slug`, or path. */
export function resolveSpecFile(root: string, name: string, cwd = process.cwd()): string {
  if (/\.ya?ml$/.test(name) || name.includes('/')) {
    const file = path.resolve(cwd, name);
    if (existsSync(file)) return file;
    throw new InputError('E_SPEC_NOT_FOUND', `spec file ${name} does not exist`, {
      hint: `Check the path, or name the milestone by id; specs live in ${MILESTONES_DIR}/.`,
    });
  }
  const files = listSpecFiles(root);
  const stems = files.map((file) => path.basename(file).replace(/\.ya?ml$/, ''));
  const index = stems.findIndex((stem) => stem === name || stem.startsWith(`${name}-`));
  const found = index >= 0 ? files[index] : undefined;
  if (found) return found;
  const close = closestName(
    name,
    stems.flatMap((stem) => [stem, stem.split('-')[0] ?? stem]),
  );
  const known =
    stems.length > 0
      ? `Known milestones: ${stems.join(', ')}.`
      : `There are no specs in ${MILESTONES_DIR}/ yet; create one with \`cairn new "<title>"\`.`;
  throw new InputError('E_MILESTONE_NOT_FOUND', `milestone "${name}" not found`, {
    hint: close ? `Did you mean "${close}"? ${known}` : known,
  });
}

export interface LoadedMilestone {
  spec: MilestoneSpec;
  config: CairnConfig;
  profiles: Record<string, AgentProfile>;
}

/** Reads config and spec, validates both, and merges agent profiles (built-ins < config < spec). */
export function loadMilestone(root: string, name: string, cwd = process.cwd()): LoadedMilestone {
  const config = loadConfig(root);
  const file = resolveSpecFile(root, name, cwd);
  const loaded = loadSpecFile(root, file, config);
  const clashes = duplicateMilestoneIds(listSpecFiles(root), root).filter(
    (entry) => entry.id === loaded.spec.id,
  );
  if (clashes.length > 0)
    throw problemsError(
      clashes.map((entry) => entry.problem),
      root,
      MILESTONES_DIR,
    );
  return loaded;
}

/** Parses and validates one spec file against the project's config. */
export function readSpecFile(file: string, config: CairnConfig): LoadResult<MilestoneSpec> {
  return parseMilestoneSpec(readFileSync(file, 'utf8'), file, {
    knownAgents: Object.keys(mergeProfiles(config.agents)),
    defaultBase: config.defaults.base,
    defaultAgent: config.defaults.agent,
  });
}

/** The config's own problems, or none; an absent config file is valid. */
export function checkConfig(root: string): { config?: CairnConfig; problems: Problem[] } {
  const file = path.join(root, CONFIG_FILE);
  const result = parseConfig(existsSync(file) ? readFileSync(file, 'utf8') : '', file);
  return result.ok ? { config: result.value, problems: [] } : { problems: result.problems };
}

export function loadSpecFile(root: string, file: string, config: CairnConfig): LoadedMilestone {
  const result = readSpecFile(file, config);
  if (!result.ok) throw problemsError(result.problems, root, path.relative(root, file));
  const spec = result.value;
  return { spec, config, profiles: mergeProfiles(config.agents, spec.agents) };
}
