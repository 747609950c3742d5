import type { Node } from 'yaml';
import { isSafePhaseName, PHASE_NAME_PATTERN } from './ids.js';
import { PHASE_KEYS, REVIEW_PHASE_NAME } from './keys.js';
import type { PhaseSpec } from './types.js';
import { readField, readMapping, readSequence } from './yaml-read.js';
import type { Reader } from './yaml-read.js';
import { childPath, describePosition, report } from './yaml-source.js';
import type { Source } from './yaml-source.js';
import { readBoolean, readString, readStringRef } from './yaml-values.js';
import type { StringRef } from './yaml-values.js';

/** A task's phases as read, with the agent references the cross-file checks resolve. */
export interface PhasesRead {
  phases: PhaseSpec[];
  agents: StringRef[];
}

/**
 * `phases: [{ name, agent?, prompt?, review? }, …]`: unique names, and every review phase
 * preceded by a phase that does the work it reviews.
 */
export function readPhases(source: Source, node: Node, path: string): PhasesRead | undefined {
  const example = '[{ name: implement }, { name: review, agent: reviewer }]';
  const items = readSequence(source, node, path, 'a list of phases', example);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    report(source, node, path, 'the task has an empty list of phases', `list them, e.g. ${example}`);
    return undefined;
  }
  const read: PhasesRead = { phases: [], agents: [] };
  const names = new Map<string, Node>();
  items.forEach((item, index) => {
    const phase = readPhase(source, item.node, item.path, read.agents);
    if (phase === undefined) return;
    const { spec, nameNode } = phase;
    const first = names.get(spec.name);
    if (first !== undefined) {
      const where = describePosition(source, first);
      const hint = `the first \`${spec.name}\` is at ${where}; give each phase a unique name`;
      report(source, nameNode, childPath(item.path, 'name'), `duplicate phase \`${spec.name}\``, hint);
    } else if (spec.name !== '') names.set(spec.name, nameNode);
    const before = index === 0 ? undefined : read.phases[read.phases.length - 1];
    if (spec.review && (index === 0 || before?.review === true)) {
      const why = index === 0 ? 'a review phase cannot be first' : 'a review phase cannot follow another';
      const hint = 'put the phase whose work it reviews (e.g. `implement`) before it';
      report(source, nameNode, childPath(item.path, 'name'), `${why}: nothing to review yet`, hint);
    }
    read.phases.push(spec);
  });
  return read;
}

function readPhase(
  source: Source,
  raw: Node,
  path: string,
  agents: StringRef[],
): { spec: PhaseSpec; nameNode: Node } | undefined {
  const fields = readMapping(source, raw, path, { allowed: PHASE_KEYS, required: ['name'], what: 'a phase' });
  if (fields === undefined) return undefined;
  const get = <T>(key: string, read: Reader<T>) => readField(source, fields, path, key, read);
  const name = get('name', readPhaseName) ?? '';
  const agent = get('agent', readStringRef);
  const prompt = get('prompt', readString);
  const review = get('review', readBoolean);
  const spec: PhaseSpec = { name, review: review ?? name === REVIEW_PHASE_NAME };
  if (agent !== undefined) {
    agents.push(agent);
    spec.agent = agent.value;
  }
  if (prompt !== undefined) spec.prompt = prompt;
  return { spec, nameNode: fields.get('name')?.value ?? raw };
}

function readPhaseName(source: Source, node: Node, path: string): string | undefined {
  const name = readString(source, node, path);
  if (name === undefined || isSafePhaseName(name)) return name;
  const hint = `use a lowercase letter, then letters, digits, '_' or '-' (${PHASE_NAME_PATTERN}), e.g. implement`;
  report(source, node, path, `\`${name}\` is not a phase name`, hint);
  return undefined;
}
