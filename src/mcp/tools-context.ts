import { z } from 'zod';
import type { ContextEntry } from '../bus/context-types.js';
import { MERGE_POLICIES } from '../bus/merge-policy.js';
import { defineTool, iso, jsonValue, required, scopeFor } from './tool-kit.js';

const key = z.string().min(1).max(128).describe('e.g. api.base_url');
const task = z.string().min(1).optional().describe("a task's own keys instead of the milestone's");

function entryJson(entry: ContextEntry) {
  return {
    ...entry,
    value: entry.value ?? null,
    updatedAt: iso(entry.updatedAt),
    siblings: entry.siblings.map((s) => ({ ...s, value: s.value ?? null, writtenAt: iso(s.writtenAt) })),
  };
}

export const getContext = defineTool(
  'get_context',
  'Read a shared-context key: its value, version, policy, clock and any concurrent siblings. The read is recorded: your next set_context of the key descends from it.',
  { key, task },
  async (context, args) => {
    const session = await context.session();
    const entry = session.coordination.context.get(scopeFor(session, args.task), args.key, session.me[0]);
    return entry ? { found: true, entry: entryJson(entry) } : { found: false, key: args.key };
  },
);

export const setContext = defineTool(
  'set_context',
  'Write (or delete) a shared-context key. A write that does not descend from every current version (you did not read the latest) is kept as a sibling and resolved by the key policy; strict refuses it instead.',
  {
    key,
    value: jsonValue.optional().describe('any JSON value (omit with delete)'),
    task,
    delete: z.boolean().optional().describe('write a tombstone instead of a value'),
    policy: z.enum(MERGE_POLICIES).optional().describe('merge policy, declared on the first write'),
    strict: z.boolean().optional().describe('refuse a write that does not descend from every version'),
  },
  async (context, args) => {
    const deleted = args.delete === true;
    const value = deleted ? undefined : required(args.value, 'value', '{"key": "api.port", "value": 8080}');
    const session = await context.session();
    const result = session.coordination.context.set(scopeFor(session, args.task), args.key, value, {
      writer: session.me[0]!,
      deleted,
      ...(args.policy ? { policy: args.policy } : {}),
      ...(args.strict ? { strict: true } : {}),
    });
    return {
      outcome: result.outcome,
      superseded: result.superseded,
      written: {
        ...result.written,
        value: result.written.value ?? null,
        writtenAt: iso(result.written.writtenAt),
      },
      entry: entryJson(result.entry),
    };
  },
);
