import type { Node } from 'yaml';
import { readPhases } from './read-phases.js';
import { readCommitSpec, readRecovery } from './read-recovery.js';
import { isSafeTaskId, TASK_ID_PATTERN } from './ids.js';
import { OVERLAP_POLICIES, TASK_KEYS, TASK_TYPES } from './keys.js';
import { suggestName } from './names.js';
import type { TaskSpec } from './types.js';
import { readField, readMapping } from './yaml-read.js';
import type { Reader } from './yaml-read.js';
import { childPath, report } from './yaml-source.js';
import type { Source } from './yaml-source.js';
import {
  readDuration,
  readInteger,
  readPositiveNumber,
  readRetries,
  readString,
  readStringList,
  readStringRef,
  readStringRefs,
} from './yaml-values.js';
import type { StringRef } from './yaml-values.js';

/** A task as read, with the nodes that the cross-task checks point at. */
export interface TaskRead {
  task: TaskSpec;
  node: Node;
  path: string;
  /** Absent when the id is missing or not a string; such a task takes no part in graph checks. */
  id?: StringRef;
  agent?: StringRef;
  depends: StringRef[];
  /** The `agent` of each phase that names one. */
  phaseAgents: StringRef[];
}

/** Reads one item of `tasks:`, filling defaults; undefined when it is not a mapping. */
export function readTask(source: Source, node: Node, path: string): TaskRead | undefined {
  const fields = readMapping(source, node, path, {
    allowed: TASK_KEYS,
    required: ['id', 'title'],
    what: 'a task',
  });
  if (fields === undefined) return undefined;
  const get = <T>(key: string, read: Reader<T>) => readField(source, fields, path, key, read);

  const id = get('id', readTaskId);
  const title = get('title', readString) ?? '';
  const agent = get('agent', readStringRef);
  const depends = get('depends_on', readStringRefs) ?? [];
  const task: TaskSpec = {
    id: id?.value ?? '',
    title,
    prompt: get('prompt', readString) ?? title,
    files: get('files', readStringList) ?? [],
    acceptance: get('acceptance', readStringList) ?? [],
    depends_on: depends.map((d) => d.value),
    weight: get('weight', readPositiveNumber) ?? 1,
  };
  // Optional keys stay absent rather than present-but-undefined, for clean JSON and equality.
  const type = get('type', readTaskType);
  if (type !== undefined) task.type = type;
  readCommitSpec(task, get);
  const overlap = get('overlap', readOverlap);
  if (overlap !== undefined) task.overlap = overlap;
  if (agent !== undefined) task.agent = agent.value;
  const timeoutMs = get('timeout', readDuration);
  if (timeoutMs !== undefined) task.timeoutMs = timeoutMs;
  const retries = get('retries', readRetries);
  if (retries !== undefined) task.retries = retries;
  readRecovery(task, get);
  const context = get('context', readContextKeys);
  if (context !== undefined) task.context = context;
  const phases = get('phases', readPhases);
  if (phases !== undefined) task.phases = phases.phases;
  const rounds = get('max_review_rounds', readReviewRounds);
  if (rounds !== undefined) task.maxReviewRounds = rounds;
  // Phases that could not be read are reported already; judge the rounds only against good ones.
  const phasesRead = phases !== undefined || !fields.has('phases');
  if (rounds !== undefined && phasesRead && !task.phases?.some((phase) => phase.review)) {
    const key = fields.get('max_review_rounds')?.key ?? node;
    const hint = 'add a review phase under `phases:` (e.g. `- name: review`), or remove the key';
    report(source, key, childPath(path, 'max_review_rounds'), 'the task has no review phase', hint);
  }
  return { task, node, path, id, agent, depends, phaseAgents: phases?.agents ?? [] };
}

/** `max_review_rounds`: how often a review may send the work back (0: never). */
export const readReviewRounds = (source: Source, node: Node, path: string) =>
  readInteger(source, node, path, 0);

const CONTEXT_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;

/** Shared-context keys the task's prompt includes (see `cairn ctx`). */
function readContextKeys(source: Source, node: Node, path: string): string[] | undefined {
  const keys = readStringList(source, node, path);
  const bad = keys?.find((key) => !CONTEXT_KEY.test(key));
  if (bad === undefined) return keys;
  report(
    source,
    node,
    path,
    `\`${bad}\` is not a context key`,
    'use letters, digits, ".", "_", "/" and "-", e.g. api.base_url',
  );
  return undefined;
}

function readOverlap(source: Source, node: Node, path: string): 'serialize' | 'allow' | undefined {
  const value = readString(source, node, path);
  if (value === undefined || (OVERLAP_POLICIES as readonly string[]).includes(value)) {
    return value as 'serialize' | 'allow' | undefined;
  }
  report(
    source,
    node,
    path,
    `unknown overlap policy \`${value}\``,
    suggestName(value, OVERLAP_POLICIES, 'an overlap policy'),
  );
  return undefined;
}

function readTaskType(source: Source, node: Node, path: string): string | undefined {
  const type = readString(source, node, path);
  if (type === undefined || (TASK_TYPES as readonly string[]).includes(type)) return type;
  const hint = suggestName(type, TASK_TYPES, 'a conventional commit type');
  report(source, node, path, `unknown task type \`${type}\``, hint);
  return undefined;
}

/** Unsafe ids are reported but kept, so other tasks' references to them still resolve. */
function readTaskId(source: Source, node: Node, path: string): StringRef | undefined {
  const id = readStringRef(source, node, path);
  if (id === undefined || isSafeTaskId(id.value)) return id;
  const fixed = suggestTaskId(id.value);
  const example = fixed === undefined ? '' : `, e.g. \`${fixed}\``;
  report(
    source,
    node,
    path,
    `task id \`${id.value}\` is not safe in a git branch name`,
    `use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit ` +
      `(${TASK_ID_PATTERN}), without '..' or a trailing '.' or '.lock'${example}`,
  );
  return id;
}

function suggestTaskId(id: string): string | undefined {
  const fixed = id
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/(\.lock|[.-])+$/, '');
  return isSafeTaskId(fixed) ? fixed : undefined;
}
