import type { Directory } from './types.js';

/** Identities that always exist: the run (orchestrator) and the people using the CLI. */
export const BUILT_IN_IDENTITIES = ['orchestrator', 'user'] as const;

export type Address =
  | { kind: 'task' | 'agent' | 'group' | 'topic'; name: string }
  | { kind: 'all' }
  | { kind: 'orchestrator' | 'user' };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Reads an address: `task:x`, `agent:y`, `group:g`, `topic:t`, `all`, `orchestrator`, `user`,
 * or a bare name that is a task or an agent of the milestone. Returns an error text otherwise.
 */
export function parseAddress(text: string, directory: Directory): Address | string {
  if (text === 'all' || text === 'orchestrator' || text === 'user') return { kind: text };
  const colon = text.indexOf(':');
  if (colon < 0) {
    if (directory.tasks.includes(text)) return { kind: 'task', name: text };
    if (directory.agents.includes(text)) return { kind: 'agent', name: text };
    return `"${text}" is not a task or agent of this milestone`;
  }
  const kind = text.slice(0, colon);
  const name = text.slice(colon + 1);
  if (kind !== 'task' && kind !== 'agent' && kind !== 'group' && kind !== 'topic') {
    return `"${kind}:" is not a kind of recipient (task:, agent:, group:, topic:)`;
  }
  if (!NAME.test(name)) return `"${name}" is not a valid ${kind} name`;
  if (kind === 'task' && !directory.tasks.includes(name)) return `milestone has no task "${name}"`;
  if (kind === 'agent' && !directory.agents.includes(name))
    return `no task of this milestone uses agent "${name}"`;
  return { kind, name };
}

export function formatAddress(address: Address): string {
  return 'name' in address ? `${address.kind}:${address.name}` : address.kind;
}

/** A channel members join: `group:g` or `topic:t`. */
export function parseChannel(text: string): string | undefined {
  return /^(group|topic):[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(text) ? text : undefined;
}

/**
 * The identities a process acts as, from `--as` or the CAIRN_* environment an agent runs
 * with: a task agent is `task:<id>` (first, its sending name) and `agent:<profile>`; anyone
 * else is `user`.
 */
export function identitiesOf(env: NodeJS.ProcessEnv, as?: string): string[] {
  if (as) return [as];
  const me: string[] = [];
  if (env.CAIRN_TASK) me.push(`task:${env.CAIRN_TASK}`);
  if (env.CAIRN_AGENT) me.push(`agent:${env.CAIRN_AGENT}`);
  return me.length > 0 ? me : ['user'];
}
