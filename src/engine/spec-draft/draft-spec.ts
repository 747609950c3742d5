import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentProfile } from '../../agents/profiles.js';
import { buildSpecDraftPrompt } from '../../agents/spec-draft-prompt.js';
import type { DraftSource } from '../../agents/spec-draft-extract.js';
import { readStatus } from '../../git/status.js';
import type { CairnConfig, Problem } from '../../spec/types.js';
import { checkDraft } from './check-draft.js';
import { runDraftAgent } from './run-draft-agent.js';

export const DRAFT_ROUNDS = 3;

export type DraftEvent =
  | { kind: 'round'; round: number; rounds: number }
  | { kind: 'checked'; round: number; rounds: number; problems: number; source: DraftSource }
  /** `git status` entries (`<kind> <path>`) that appeared while the agent ran; it was told not to touch the tree. */
  | { kind: 'touched'; round: number; changes: string[] };

export interface DraftSpecOptions {
  goal: string;
  root: string;
  stateDir: string;
  config: CairnConfig;
  profile: AgentProfile;
  profiles: Record<string, AgentProfile>;
  id: string;
  /** Where the spec will be saved, relative to the root. */
  specFile: string;
  /** Prompts, outputs, logs and the checked draft of every round. */
  dir: string;
  rounds?: number;
  graceMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: DraftEvent) => void;
}

export interface DraftResult {
  yaml: string;
  rounds: number;
  /** Empty when the draft validates. */
  problems: Problem[];
  /** The checked draft, kept in `dir` under the spec's file name. */
  draftFile: string;
}

/** Top-level entries of the repository for the prompt; directories end in `/`. */
export function repoEntries(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.name !== '.git')
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
    .sort();
}

async function statusLines(root: string, ignore: string): Promise<Set<string>> {
  const status = await readStatus(root);
  return new Set(
    status.changes
      .filter((change) => !path.resolve(root, change.path).startsWith(ignore))
      .map((change) => `${change.kind} ${change.path}`),
  );
}

/**
 * Asks the agent for a spec, validates it as `cairn validate` does, and asks again with the
 * problems and the previous YAML until it validates or `rounds` runs are used up.
 */
export async function draftSpec(options: DraftSpecOptions): Promise<DraftResult> {
  const rounds = options.rounds ?? DRAFT_ROUNDS;
  const draftFile = path.join(options.dir, path.basename(options.specFile));
  const { defaults } = options.config;
  let previous: { yaml: string; problems: Problem[] } | undefined;
  for (let round = 1; ; round++) {
    options.onEvent?.({ kind: 'round', round, rounds });
    const before = await statusLines(options.root, options.dir);
    const draft = await runDraftAgent({
      profile: options.profile,
      root: options.root,
      stateDir: options.stateDir,
      dir: options.dir,
      id: options.id,
      round,
      prompt: buildSpecDraftPrompt({
        goal: options.goal,
        id: options.id,
        specFile: options.specFile,
        outputFile: path.join(options.dir, `round-${round}.yaml`),
        base: defaults.base,
        defaultAgent: defaults.agent,
        profiles: Object.values(options.profiles).map((p) => ({ name: p.name, program: p.command[0] ?? '' })),
        repoEntries: repoEntries(options.root),
        round,
        rounds,
        ...(previous ? { previous } : {}),
      }),
      timeoutMs: options.profile.timeoutMs ?? defaults.timeoutMs,
      stallMs: options.profile.stallMs ?? defaults.stallMs,
      graceMs: options.graceMs ?? 5_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const after = await statusLines(options.root, options.dir);
    const touched = [...after].filter((line) => !before.has(line));
    if (touched.length > 0) options.onEvent?.({ kind: 'touched', round, changes: touched });
    writeFileSync(draftFile, draft.yaml);
    const problems = checkDraft(draftFile, draft.yaml, {
      root: options.root,
      config: options.config,
      id: options.id,
    });
    options.onEvent?.({ kind: 'checked', round, rounds, problems: problems.length, source: draft.source });
    if (problems.length === 0 || round >= rounds)
      return { yaml: draft.yaml, rounds: round, problems, draftFile };
    previous = { yaml: draft.yaml, problems };
  }
}
