import { findExecutable } from '../agents/executable.js';
import type { AgentProfile } from '../agents/profiles.js';
import { resolveCommit } from '../git/refs.js';
import type { MilestoneSpec } from '../spec/types.js';
import { InputError } from '../shared/errors.js';

/** Names of every profile a milestone may use: each task's agent and its fallbacks. */
export function profilesInUse(
  spec: MilestoneSpec,
  profiles: Record<string, AgentProfile>,
  defaultAgent: string,
): AgentProfile[] {
  const names = new Set<string>();
  const visit = (name: string) => {
    if (names.has(name)) return;
    names.add(name);
    for (const fallback of profiles[name]?.fallback ?? []) visit(fallback);
  };
  for (const task of spec.tasks) visit(task.agent ?? defaultAgent);
  return [...names].flatMap((name) => (profiles[name] ? [profiles[name]] : []));
}

/** Checks what must hold before any task starts: the base branch and every agent binary. */
export async function preflight(
  root: string,
  spec: MilestoneSpec,
  profiles: AgentProfile[],
): Promise<string> {
  // The base is where the milestone lands: it must be a branch, not a tag or a commit.
  const base = await resolveCommit(root, `refs/heads/${spec.base}`);
  if (!base) {
    throw new InputError('E_NO_BASE', `base branch "${spec.base}" of milestone ${spec.id} does not exist`, {
      hint: `Create it (git branch ${spec.base}) or set \`base:\` in ${spec.file} to an existing branch.`,
    });
  }
  const missing = profiles.filter((profile) => !findExecutable(profile.command[0] ?? '', root));
  if (missing.length > 0) {
    throw new InputError('E_AGENT_MISSING', 'agent binary not found', {
      details: missing.map(
        (profile) =>
          `profile "${profile.name}": \`${profile.command[0] ?? ''}\` is not on PATH or not executable`,
      ),
      hint: 'Install the agent, or point the profile at another command in .cairn/config.yaml (agents.<name>.command).',
    });
  }
  return base;
}
