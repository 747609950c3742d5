import { z } from 'zod';
import type { CoordinationSession } from '../engine/coordination-session.js';
import { InputError } from '../shared/errors.js';
import type { McpIdentity } from './identity.js';

/** What every tool works with: who calls, and the state (opened on the first call that needs it). */
export interface ToolContext {
  identity: McpIdentity;
  env: NodeJS.ProcessEnv;
  cwd: string;
  session(): Promise<CoordinationSession>;
}

/** One MCP tool: its name, what it does, its input schema (unknown keys refused) and its work. */
export interface McpTool {
  name: string;
  description: string;
  input: z.ZodObject;
  run(context: ToolContext, args: never): Promise<unknown>;
}

export function defineTool<S extends z.ZodRawShape>(
  name: string,
  description: string,
  shape: S,
  run: (context: ToolContext, args: z.output<z.ZodObject<S>>) => Promise<unknown>,
): McpTool {
  return { name, description, input: z.strictObject(shape), run: run as McpTool['run'] };
}

/** Any JSON value (a payload, a context value); `undefined` means the caller left it out. */
export const jsonValue = z.unknown();

export function required<T>(value: T | undefined, what: string, example: string): T {
  if (value !== undefined) return value;
  throw new InputError('E_MCP_INPUT', `${what} is required`, { hint: `e.g. ${example}` });
}

/** Context keys of the milestone, or of one of its tasks. */
export function scopeFor(session: CoordinationSession, task: string | undefined) {
  if (task === undefined) return { milestone: session.milestone };
  if (!session.directory.tasks.includes(task)) {
    throw new InputError('E_CTX_SCOPE', `milestone ${session.milestone} has no task "${task}"`, {
      hint: `Scope keys to one of: ${session.directory.tasks.join(', ')}`,
    });
  }
  return { milestone: session.milestone, task };
}

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
