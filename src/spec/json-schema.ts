import { DURATION_PATTERN } from './duration.js';
import { SIZE_PATTERN } from './size.js';
import { MILESTONE_ID_PATTERN, PHASE_NAME_PATTERN } from './ids.js';
import {
  COMMIT_STRATEGIES,
  DEFAULT_BASE,
  DEFAULT_MAX_REVIEW_ROUNDS,
  OVERLAP_POLICIES,
  REVIEW_PHASE_NAME,
  TASK_TYPES,
  WORKSPACE_DEFAULTS,
} from './keys.js';

// Task ids also exclude what git refuses in ref names; lookaheads are valid ECMA-262 patterns.
export const TASK_ID_SCHEMA_PATTERN = '^(?!.*\\.\\.)(?!.*\\.$)(?!.*\\.lock$)[a-z0-9][a-z0-9._-]*$';

const stringList = (description: string) => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  default: [],
  description,
});

const duration = {
  description: 'A duration: a number of seconds, or text such as "500ms", "90s", "30m", "1h30m".',
  oneOf: [
    { type: 'number', exclusiveMinimum: 0 },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
};

// `stall` and `backoff` are shared by profiles and tasks; the most specific setting wins.
const recoveryProperties = {
  stall: {
    $ref: '#/$defs/duration',
    description: 'Stop an attempt with no output and no file change for this long.',
  },
  backoff: {
    type: 'object',
    additionalProperties: false,
    description: 'Delay before each retry: exponential from base by factor, capped, with full jitter.',
    properties: {
      base: { $ref: '#/$defs/duration', description: 'Window before the first retry (default 2s).' },
      factor: { type: 'number', exclusiveMinimum: 0, description: 'Growth per retry (default 2).' },
      cap: { $ref: '#/$defs/duration', description: 'Largest window (default 60s).' },
    },
  },
};

const agentProfile = {
  type: 'object',
  description: 'How to start an agent.',
  additionalProperties: false,
  required: ['command'],
  properties: {
    command: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      description: 'Argv template, e.g. ["claude", "-p", "{prompt}"]. Placeholders may be parts of elements.',
    },
    timeout: { $ref: '#/$defs/duration', description: 'Time limit for one attempt.' },
    retries: { type: 'integer', minimum: 0, description: 'Retries after a failed attempt.' },
    fallback: stringList(
      'Profiles to try, in order, when this one keeps failing, is at its max_concurrency or has its circuit open.',
    ),
    env: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Extra environment variables for the agent process.',
    },
    ...recoveryProperties,
    max_concurrency: {
      type: 'integer',
      minimum: 1,
      description:
        'Attempts this profile may run at once, within the run concurrency; no limit of its own when absent.',
    },
  },
};

const commitProperties = {
  commit: {
    enum: [...COMMIT_STRATEGIES],
    default: 'atomic',
    description:
      'atomic: one commit when the agent is done; progressive: also stable intermediate states while it works; checkpoint: also timed work-in-progress commits.',
  },
  commit_every: {
    $ref: '#/$defs/duration',
    description: 'For progressive and checkpoint: how often the worktree is looked at (default 60s).',
  },
};

const maxReviewRounds = {
  type: 'integer',
  minimum: 0,
  default: DEFAULT_MAX_REVIEW_ROUNDS,
  description:
    'How many times a review phase may send the work back to the phase before it; one more rejection blocks the task with the review.',
};

const phase = {
  type: 'object',
  description: 'One phase of a task: its own agent process in the task worktree, after the phases before it.',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      pattern: PHASE_NAME_PATTERN,
      description: 'Unique phase name, e.g. design, implement, review (in CAIRN_PHASE).',
    },
    agent: { type: 'string', description: "Agent profile of this phase; defaults to the task's." },
    prompt: { type: 'string', description: "Added to the task's prompt for this phase." },
    review: {
      type: 'boolean',
      description: `A review phase approves the work or sends it back to the phase before it; default true for a phase named "${REVIEW_PHASE_NAME}".`,
    },
  },
};

const task = {
  type: 'object',
  description: 'One unit of agent work: one worktree, one branch, one merge.',
  additionalProperties: false,
  required: ['id', 'title'],
  properties: {
    id: {
      type: 'string',
      pattern: TASK_ID_SCHEMA_PATTERN,
      description: 'Unique task id; part of the branch name feature/milestone-<id>-<task>.',
    },
    title: {
      type: 'string',
      minLength: 1,
      description: 'Short title; used in the commit subject.',
    },
    type: {
      enum: [...TASK_TYPES],
      description:
        'Conventional commit type of the work; when absent it is inferred from the change (only tests: test, only docs: docs, …).',
    },
    agent: { type: 'string', description: 'Agent profile to run; defaults to the configured one.' },
    prompt: { type: 'string', description: 'Instructions for the agent; defaults to the title.' },
    files: stringList('Globs of the files the task is expected to touch, e.g. "db/**".'),
    acceptance: stringList('Commands that must pass before the task is merged.'),
    depends_on: stringList('Ids of the tasks that must be merged first.'),
    weight: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 1,
      description: 'Value of the task for progress.',
    },
    timeout: { $ref: '#/$defs/duration', description: 'Time limit for one attempt.' },
    retries: { type: 'integer', minimum: 0, description: 'Retries after a failed attempt.' },
    ...recoveryProperties,
    ...commitProperties,
    overlap: {
      enum: [...OVERLAP_POLICIES],
      default: 'serialize',
      description:
        'serialize: never runs at the same time as a task whose files overlap its own (fewer merge conflicts); allow: may.',
    },
    context: stringList(
      'Shared-context keys (cairn ctx) whose current values each attempt\'s prompt includes, e.g. "api.base_url".',
    ),
    phases: {
      type: 'array',
      minItems: 1,
      items: { $ref: '#/$defs/phase' },
      description:
        'Phases run in order in the task worktree (e.g. design, implement, review), each seeing the outputs of the ones before; the work is committed and merged once after the last.',
    },
    max_review_rounds: maxReviewRounds,
  },
};

const repoPath = (description: string) => ({
  type: 'string',
  minLength: 1,
  pattern: '^(?![\\\\/])(?![A-Za-z]:)(?!(.*[\\\\/])?\\.\\.([\\\\/]|$))',
  description,
});

const workspace = {
  type: 'object',
  additionalProperties: false,
  description:
    'How each new task worktree is made ready before its agent starts; keys here win over .cairn/config.yaml.',
  properties: {
    setup: stringList('Commands (sh -c) run once in each new worktree before the agent, e.g. ["npm ci"].'),
    setup_timeout: {
      $ref: '#/$defs/duration',
      description: 'Time limit for the setup commands (default 10m).',
    },
    cache: {
      type: 'array',
      description:
        'Setup outputs kept in the state directory and copied (copy-on-write where the filesystem can) into later worktrees whose key files have the same content; setup then does not run.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'key'],
        properties: {
          path: repoPath('What setup makes, relative to the worktree, e.g. "node_modules".'),
          key: {
            type: 'array',
            minItems: 1,
            items: repoPath('A file whose content decides the cached path.'),
            description:
              'Files whose content (with the setup commands, platform and Node version) keys the cache.',
          },
          link: {
            type: 'boolean',
            description:
              'Unset (the default): a copy-on-write clone where the filesystem makes them, else hardlinks to the cache entry (near-instant, no extra disk, but a file written in place in one worktree changes it in the others). false: always an independent copy (a full copy without copy-on-write). true: always hardlinks.',
          },
        },
      },
    },
    copy: {
      type: 'array',
      items: repoPath('An untracked, git-ignored file or directory of the main worktree.'),
      description: 'Untracked files copied from the main worktree into each new worktree, e.g. [".env"].',
    },
    ports: {
      description: `Ports reserved for each running task (CAIRN_PORT_BASE, CAIRN_PORT_COUNT): a count, or { count, base, blocks } (base default ${WORKSPACE_DEFAULTS.portBase}).`,
      oneOf: [
        { type: 'integer', minimum: 1, maximum: 1000 },
        {
          type: 'object',
          additionalProperties: false,
          required: ['count'],
          properties: {
            count: { type: 'integer', minimum: 1, maximum: 1000, description: 'Ports per task.' },
            base: {
              type: 'integer',
              minimum: 1024,
              maximum: 65535,
              description: 'First port of the first block.',
            },
            blocks: {
              type: 'integer',
              minimum: 1,
              description: 'At most this many tasks hold ports at once; others wait.',
            },
          },
        },
      ],
    },
    cache_max: {
      description:
        'Largest total size of the setup cache before the least recently used entries go (default "5GB").',
      oneOf: [
        { type: 'number', exclusiveMinimum: 0 },
        { type: 'string', pattern: SIZE_PATTERN },
      ],
    },
    cache_max_age: {
      $ref: '#/$defs/duration',
      description: 'Cache entries unused for this long are removed (default 14d).',
    },
  },
};

/** JSON Schema (draft 2020-12) of a milestone spec as users write it, for editors. */
export function milestoneJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Cairn milestone',
    description: 'A milestone: a goal with tasks, run by coding agents in git worktrees.',
    type: 'object',
    additionalProperties: false,
    required: ['id', 'title', 'tasks'],
    properties: {
      id: {
        type: 'string',
        pattern: MILESTONE_ID_PATTERN,
        description: 'Unique milestone id, quoted when it is digits: "001".',
      },
      title: { type: 'string', minLength: 1, description: 'What the milestone achieves.' },
      base: {
        type: 'string',
        default: DEFAULT_BASE,
        description: 'Branch the milestone starts from and lands on.',
      },
      integration: stringList('Commands run on the merged result before landing.'),
      ...commitProperties,
      agents: {
        type: 'object',
        additionalProperties: { $ref: '#/$defs/agentProfile' },
        description: 'Agent profiles, merged over .cairn/config.yaml and the built-ins.',
      },
      tasks: {
        type: 'array',
        minItems: 1,
        items: { $ref: '#/$defs/task' },
        description: 'The tasks; each runs when its dependencies are merged.',
      },
      workspace: { $ref: '#/$defs/workspace', description: workspace.description },
      max_review_rounds: { ...maxReviewRounds, description: `Default of the tasks' max_review_rounds.` },
    },
    $defs: { duration, agentProfile, phase, task, workspace },
  };
}
