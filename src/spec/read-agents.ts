import type { Node } from 'yaml';
import { AGENT_KEYS } from './keys.js';
import { readRecovery } from './read-recovery.js';
import type { AgentProfileSpec } from './types.js';
import { readField, readMapping } from './yaml-read.js';
import type { Reader } from './yaml-read.js';
import { childPath, report } from './yaml-source.js';
import type { Source } from './yaml-source.js';
import {
  readConcurrency,
  readDuration,
  readRetries,
  readString,
  readStringList,
  readStringRefs,
} from './yaml-values.js';
import type { StringRef } from './yaml-values.js';

export interface AgentProfiles {
  profiles: Record<string, AgentProfileSpec>;
  /** Every fallback name, checked once all known profile names are gathered. */
  fallbacks: StringRef[];
}

/** Reads an `agents:` mapping of profile name to profile. */
export function readAgentProfiles(source: Source, raw: Node, path: string): AgentProfiles {
  const result: AgentProfiles = { profiles: {}, fallbacks: [] };
  const entries = readMapping(source, raw, path, { what: 'agent profiles by name' });
  for (const [name, field] of entries ?? []) {
    const profile = readAgentProfile(source, field.value, childPath(path, name), result.fallbacks);
    if (profile !== undefined) result.profiles[name] = profile;
  }
  return result;
}

function readAgentProfile(
  source: Source,
  raw: Node,
  path: string,
  fallbacks: StringRef[],
): AgentProfileSpec | undefined {
  const fields = readMapping(source, raw, path, {
    allowed: AGENT_KEYS,
    required: ['command'],
    what: 'an agent profile',
  });
  if (fields === undefined) return undefined;
  const get = <T>(key: string, read: Reader<T>) => readField(source, fields, path, key, read);

  const profile: AgentProfileSpec = { command: get('command', readCommand) ?? [] };
  const timeoutMs = get('timeout', readDuration);
  if (timeoutMs !== undefined) profile.timeoutMs = timeoutMs;
  const retries = get('retries', readRetries);
  if (retries !== undefined) profile.retries = retries;
  const fallback = get('fallback', readStringRefs);
  if (fallback !== undefined) {
    fallbacks.push(...fallback);
    profile.fallback = fallback.map((ref) => ref.value);
  }
  const env = get('env', readEnv);
  if (env !== undefined) profile.env = env;
  const maxConcurrency = get('max_concurrency', readConcurrency);
  if (maxConcurrency !== undefined) profile.maxConcurrency = maxConcurrency;
  return readRecovery(profile, get);
}

function readCommand(source: Source, node: Node, path: string): string[] | undefined {
  const argv = readStringList(source, node, path);
  if (argv?.length === 0) {
    const hint = 'give the program and its arguments, e.g. ["claude", "-p", "{prompt}"]';
    report(source, node, path, 'the command is empty', hint);
  }
  return argv;
}

function readEnv(source: Source, node: Node, path: string): Record<string, string> {
  const env: Record<string, string> = {};
  const fields = readMapping(source, node, path, { what: 'environment variables by name' });
  for (const [name, field] of fields ?? []) {
    // An empty value is a legitimate way to set a variable to nothing.
    const value = readString(source, field.value, childPath(path, name), true);
    if (value !== undefined) env[name] = value;
  }
  return env;
}
