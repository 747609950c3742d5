import { InputError } from '../shared/errors.js';

/** Who calls the MCP server: the CAIRN_* environment a `cairn run` gives each agent it starts. */
export interface McpIdentity {
  milestone: string | undefined;
  task: string | undefined;
  attempt: number | undefined;
  session: string | undefined;
  agent: string | undefined;
  home: string | undefined;
  promptFile: string | undefined;
  progressFile: string | undefined;
}

const set = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);

export function readIdentity(env: NodeJS.ProcessEnv): McpIdentity {
  const attempt = Number(env.CAIRN_ATTEMPT);
  return {
    milestone: set(env.CAIRN_MILESTONE),
    task: set(env.CAIRN_TASK),
    attempt: Number.isSafeInteger(attempt) && attempt > 0 ? attempt : undefined,
    session: set(env.CAIRN_SESSION),
    agent: set(env.CAIRN_AGENT),
    home: set(env.CAIRN_HOME),
    promptFile: set(env.CAIRN_PROMPT_FILE),
    progressFile: set(env.CAIRN_PROGRESS_FILE),
  };
}

/** The caller's task, for tools that act for one (progress, blockers, collaboration); else a clear error. */
export function requireTask(identity: McpIdentity, tool: string): string {
  if (identity.task !== undefined) return identity.task;
  throw new InputError('E_MCP_IDENTITY', `${tool} needs the calling task, and CAIRN_TASK is not set`, {
    hint: 'Cairn sets CAIRN_MILESTONE, CAIRN_TASK, CAIRN_ATTEMPT, CAIRN_SESSION and CAIRN_AGENT for the agents it starts; outside a run, set them in the env of the MCP server configuration (cairn mcp --print-config <agent>).',
  });
}
