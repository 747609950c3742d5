import type { Node } from 'yaml';
import { CONFIG_DEFAULTS, CONFIG_DEFAULTS_KEYS, CONFIG_KEYS } from './keys.js';
import { readAgentProfiles } from './read-agents.js';
import { readBackoff } from './read-recovery.js';
import { readWorkspace } from './read-workspace.js';
import { readPullRequest, readRemote } from './read-remote.js';
import type { CairnConfig, LoadResult } from './types.js';
import { readField, readMapping } from './yaml-read.js';
import type { Reader } from './yaml-read.js';
import { loadYaml, report, sortedProblems } from './yaml-source.js';
import type { Source } from './yaml-source.js';
import { readConcurrency, readDuration, readRetries, readString, readStringList } from './yaml-values.js';

/**
 * Parses `.cairn/config.yaml`. An empty file is valid and means all defaults. Fallback
 * names are not checked here: they may name built-in profiles this module does not know.
 */
export function parseConfig(text: string, file: string): LoadResult<CairnConfig> {
  const source = loadYaml(text, file);
  const config: CairnConfig = { defaults: { ...CONFIG_DEFAULTS }, agents: {} };
  if (source.problems.length > 0) return { ok: false, problems: sortedProblems(source) };
  const root = source.doc.contents as Node | null;
  if (root === null) return { ok: true, value: config };

  const fields = readMapping(source, root, '', { allowed: CONFIG_KEYS, what: 'a Cairn config' });
  config.defaults = readField(source, fields, '', 'defaults', readDefaults) ?? config.defaults;
  config.agents = readField(source, fields, '', 'agents', readAgentProfiles)?.profiles ?? {};
  const notify = readField(source, fields, '', 'notify', readCommand);
  if (notify !== undefined) config.notify = notify;
  const workspace = readField(source, fields, '', 'workspace', readWorkspace);
  if (workspace !== undefined) config.workspace = workspace;
  const remote = readField(source, fields, '', 'remote', readRemote);
  if (remote !== undefined) config.remote = remote;
  const pr = readField(source, fields, '', 'pr', readPullRequest);
  if (pr !== undefined) config.pr = pr;

  if (source.problems.length > 0) return { ok: false, problems: sortedProblems(source) };
  return { ok: true, value: config };
}

function readDefaults(source: Source, node: Node, path: string): CairnConfig['defaults'] {
  const fields = readMapping(source, node, path, {
    allowed: CONFIG_DEFAULTS_KEYS,
    what: 'the defaults',
  });
  const get = <T>(key: string, read: Reader<T>) => readField(source, fields, path, key, read);
  return {
    agent: get('agent', readString) ?? CONFIG_DEFAULTS.agent,
    concurrency: get('concurrency', readConcurrency) ?? CONFIG_DEFAULTS.concurrency,
    retries: get('retries', readRetries) ?? CONFIG_DEFAULTS.retries,
    timeoutMs: get('timeout', readDuration) ?? CONFIG_DEFAULTS.timeoutMs,
    base: get('base', readString) ?? CONFIG_DEFAULTS.base,
    stallMs: get('stall', readDuration) ?? CONFIG_DEFAULTS.stallMs,
    backoff: { ...CONFIG_DEFAULTS.backoff, ...get('backoff', readBackoff) },
  };
}

/** An argument array with a program, e.g. ["notify-send", "Cairn", "{message}"]. */
function readCommand(source: Source, node: Node, path: string): string[] | undefined {
  const argv = readStringList(source, node, path);
  if (argv === undefined) return undefined;
  if (argv.length > 0 && argv[0] !== '') return argv;
  report(
    source,
    node,
    path,
    'notify needs a program to run',
    'write e.g. notify: ["notify-send", "Cairn", "{message}"]',
  );
  return undefined;
}
