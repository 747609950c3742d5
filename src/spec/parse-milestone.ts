import type { Node } from 'yaml';
import { checkAgentRefs, checkTaskGraph } from './check-tasks.js';
import { isSafeMilestoneId, MILESTONE_ID_PATTERN } from './ids.js';
import { DEFAULT_BASE, MILESTONE_KEYS } from './keys.js';
import { readAgentProfiles } from './read-agents.js';
import { readCommitSpec } from './read-recovery.js';
import { readReviewRounds, readTask } from './read-task.js';
import { readWorkspace } from './read-workspace.js';
import type { TaskRead } from './read-task.js';
import type { CommitSpec, LoadResult, MilestoneSpec } from './types.js';
import { readField, readMapping, readSequence } from './yaml-read.js';
import type { Reader } from './yaml-read.js';
import { loadYaml, report, reportAt, sortedProblems } from './yaml-source.js';
import type { Source } from './yaml-source.js';
import { readString, readStringList } from './yaml-values.js';

export interface ParseMilestoneOptions {
  /** Profiles defined outside the spec: built-ins and `.cairn/config.yaml`. */
  knownAgents: Iterable<string>;
  defaultBase?: string;
  /** The profile tasks without `agent:` run with; checked only when some task relies on it. */
  defaultAgent?: string;
}

/** Parses and validates a milestone spec, reporting every problem found, with positions. */
export function parseMilestoneSpec(
  text: string,
  file: string,
  options: ParseMilestoneOptions,
): LoadResult<MilestoneSpec> {
  const source = loadYaml(text, file);
  if (source.problems.length > 0) return failed(source);
  const root = source.doc.contents as Node | null;
  if (root === null) {
    const hint = 'a milestone needs `id`, `title` and `tasks`; `cairn new` writes an example';
    reportAt(source, 0, '', 'the milestone file is empty', hint);
    return failed(source);
  }
  const fields = readMapping(source, root, '', {
    allowed: MILESTONE_KEYS,
    required: ['id', 'title', 'tasks'],
    what: 'a milestone',
  });
  if (fields === undefined) return failed(source);
  const get = <T>(key: string, read: Reader<T>) => readField(source, fields, '', key, read);

  const id = get('id', readMilestoneId) ?? '';
  const title = get('title', readString) ?? '';
  const base = get('base', readString);
  const integration = get('integration', readStringList);
  const agents = get('agents', readAgentProfiles);
  const tasks = get('tasks', readTasks) ?? [];
  const commit = readCommitSpec({} as CommitSpec, get);
  const workspace = get('workspace', readWorkspace);
  const maxReviewRounds = get('max_review_rounds', readReviewRounds);
  const rounds = maxReviewRounds === undefined ? {} : { maxReviewRounds };

  checkTaskGraph(source, tasks);
  const profiles = agents?.profiles ?? {};
  const known = new Set([...options.knownAgents, ...Object.keys(profiles)]);
  const taskAgents = tasks.flatMap((t) => [...(t.agent === undefined ? [] : [t.agent]), ...t.phaseAgents]);
  checkAgentRefs(source, [...taskAgents, ...(agents?.fallbacks ?? [])], known);
  checkDefaultAgent(source, tasks, known, options.defaultAgent);

  if (source.problems.length > 0) return failed(source);
  return {
    ok: true,
    value: {
      id,
      title,
      base: base ?? options.defaultBase ?? DEFAULT_BASE,
      integration: integration ?? [],
      agents: profiles,
      ...commit,
      // A task without its own strategy (or review rounds) takes the milestone's.
      tasks: tasks.map((t) => ({ ...commit, ...(t.task.phases ? rounds : {}), ...t.task })),
      ...(workspace !== undefined ? { workspace } : {}),
      ...rounds,
      file,
    },
  };
}

function failed(source: Source): LoadResult<never> {
  return { ok: false, problems: sortedProblems(source) };
}

function readMilestoneId(source: Source, node: Node, path: string): string | undefined {
  const id = readString(source, node, path);
  if (id === undefined || isSafeMilestoneId(id)) return id;
  report(
    source,
    node,
    path,
    `milestone id \`${id}\` is not safe in a git branch name`,
    `use digits, lowercase letters and '-', starting with a letter or digit (${MILESTONE_ID_PATTERN}), e.g. "001"`,
  );
  return undefined;
}

function readTasks(source: Source, node: Node, path: string): TaskRead[] {
  const items = readSequence(source, node, path, 'a list of tasks', '[{ id: setup, title: Set up }]');
  if (items === undefined) return [];
  if (items.length === 0) {
    report(source, node, path, 'the milestone has no tasks', 'add at least one task with `id` and `title`');
  }
  return items.flatMap((item) => readTask(source, item.node, item.path) ?? []);
}

function checkDefaultAgent(
  source: Source,
  tasks: readonly TaskRead[],
  known: ReadonlySet<string>,
  defaultAgent: string | undefined,
): void {
  if (defaultAgent === undefined || known.has(defaultAgent)) return;
  for (const task of tasks.filter((t) => t.agent === undefined)) {
    const message = `task has no \`agent\` and the default profile \`${defaultAgent}\` is not defined`;
    const hint = `set \`agent:\` on the task, or define \`${defaultAgent}\` under \`agents:\``;
    report(source, task.node, task.path, message, hint);
  }
}
