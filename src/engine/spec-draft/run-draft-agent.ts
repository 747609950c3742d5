import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runSupervised } from '../../agents/host.js';
import { expandCommand, type AgentProfile } from '../../agents/profiles.js';
import { pickDraft, type DraftSource } from '../../agents/spec-draft-extract.js';
import { CairnError, EXIT, WorkFailedError } from '../../shared/errors.js';
import { describeEnd } from '../checks.js';

/** One agent run of a drafting round: where its files go and how long it may take. */
export interface DraftAgentRun {
  profile: AgentProfile;
  root: string;
  stateDir: string;
  /** Holds the prompt, the agent's output file and its log for every round. */
  dir: string;
  id: string;
  round: number;
  prompt: string;
  timeoutMs: number;
  stallMs: number;
  graceMs: number;
  signal?: AbortSignal;
}

export const draftFiles = (dir: string, round: number) => ({
  prompt: path.join(dir, `round-${round}.prompt.md`),
  output: path.join(dir, `round-${round}.yaml`),
  log: path.join(dir, `round-${round}.log`),
});

/** The last lines of a log, indented, for an error's details. */
export function logTail(file: string, count = 15): string[] {
  if (!existsSync(file)) return ['(no output)'];
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const tail = lines.slice(-count).map((line) => `| ${line}`);
  return tail.length === 0 || (tail.length === 1 && tail[0] === '| ') ? ['(no output)'] : tail;
}

/**
 * Runs the agent once in the repository root with the prompt, and returns the YAML it wrote to
 * the round's output file or printed. Throws when it fails, is interrupted or produces nothing.
 */
export async function runDraftAgent(run: DraftAgentRun): Promise<{ yaml: string; source: DraftSource }> {
  const files = draftFiles(run.dir, run.round);
  writeFileSync(files.prompt, run.prompt);
  const argv = expandCommand(run.profile.command, {
    prompt: run.prompt,
    prompt_file: files.prompt,
    task: '',
    milestone: run.id,
    worktree: run.root,
  });
  const end = await runSupervised({
    argv,
    cwd: run.root,
    env: {
      ...process.env,
      CAIRN_MILESTONE: run.id,
      CAIRN_AGENT: run.profile.name,
      CAIRN_PROMPT_FILE: files.prompt,
      CAIRN_DRAFT_FILE: files.output,
      CAIRN_HOME: run.stateDir,
      ...run.profile.env,
    },
    logFile: files.log,
    timeoutMs: run.timeoutMs,
    graceMs: run.graceMs,
    stallMs: run.stallMs,
    ...(run.signal ? { signal: run.signal } : {}),
  });
  if (end.kind === 'aborted') {
    throw new CairnError('E_INTERRUPTED', `interrupted: agent ${run.profile.name} was stopped`, {
      exitCode: EXIT.interrupted,
      hint: `Nothing was written. The prompts and output so far are in ${run.dir}.`,
    });
  }
  if (end.kind !== 'exited' || end.code !== 0) {
    throw new WorkFailedError(
      'E_AGENT_FAILED',
      `agent ${run.profile.name} ${describeEnd(end, run.timeoutMs)} in round ${run.round}; nothing was written`,
      {
        details: [`last lines of ${files.log}:`, ...logTail(files.log)],
        hint:
          end.kind === 'timeout' || end.kind === 'stalled'
            ? `Raise the profile's \`timeout\` (or \`stall\`) in .cairn/config.yaml, or try another --agent.`
            : 'Fix what its output says, then run the command again.',
      },
    );
  }
  const fileText = existsSync(files.output) ? readFileSync(files.output, 'utf8') : undefined;
  const draft = pickDraft(fileText, existsSync(files.log) ? readFileSync(files.log, 'utf8') : '');
  if (!draft) {
    throw new WorkFailedError(
      'E_NO_DRAFT',
      `agent ${run.profile.name} exited 0 in round ${run.round} but wrote no spec to ${files.output} and printed no \`\`\`yaml block; nothing was written`,
      {
        details: [`last lines of ${files.log}:`, ...logTail(files.log)],
        hint: 'Check that the profile passes the prompt to the agent ({prompt} or {prompt_file}), or try another --agent.',
      },
    );
  }
  return draft;
}
