import { TASK_TYPES } from './keys.js';

export interface ScaffoldOptions {
  id: string;
  title: string;
  base: string;
  agent: string;
}

/** The commented example spec `cairn new` writes; it validates as is. */
export function scaffoldMilestone(options: ScaffoldOptions): string {
  const agent = yamlString(options.agent);
  return `# Milestone spec for Cairn. \`cairn validate\` checks it; \`cairn run\` runs it.
# Editors: \`cairn schema\` prints a JSON Schema for completion and checks.

# Unique id, quoted so digits stay text. Lowercase letters, digits and '-'.
id: ${JSON.stringify(options.id)}
# What the milestone achieves; also the milestone branch's name and summary.
title: ${yamlString(options.title)}
# Branch the milestone starts from and lands on.
base: ${yamlString(options.base)}
# Commands run on the merged result before \`cairn land\`; all must pass.
integration: []

# Agent profiles, merged over .cairn/config.yaml and the built-ins. For example:
# agents:
#   coder:
#     command: ["claude", "-p", "{prompt}"]  # argv; {prompt} is the task prompt
#     timeout: 30m                           # per attempt: a number of seconds, or 90s, 30m, 1h30m
#     retries: 1                             # retries after a failed attempt
#     fallback: [codex]                      # profiles to try when this one keeps failing
#     env: { LOG_LEVEL: "debug" }            # extra environment for the agent

# Tasks run in parallel worktrees as soon as their dependencies are merged.
tasks:
  # Unique id, part of the branch name: lowercase letters, digits, '.', '_' and '-'.
  - id: first-step
    # Short title, used in the commit subject.
    title: First step
    # Conventional commit type: ${TASK_TYPES.join(', ')}.
    type: feat
    # Agent profile to run this task; leave it out to use the configured default.
    agent: ${agent}
    # Instructions for the agent; defaults to the title.
    prompt: |
      Describe what to build, where, and how to know it is done.
    # Globs of the files the task should touch; changes elsewhere raise a scope alert.
    files: ["src/**"]
    # Commands that must pass before the task is merged.
    acceptance: []
    # Value of the task for progress (default 1).
    weight: 1

  - id: second-step
    title: Second step
    type: test
    agent: ${agent}
    prompt: |
      Add tests for the first step.
    files: ["test/**"]
    # Ids of the tasks that must be merged first.
    depends_on: [first-step]
    # Optional limits for one attempt of this task.
    timeout: 30m
    retries: 1
`;
}

const PLAIN = /^[A-Za-z0-9_/][\w ./()'-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|[-+]?(\d|\.\d|\.inf|\.nan))/i;

/** A YAML scalar for the text: plain when that reads back as the same string, else quoted. */
function yamlString(text: string): string {
  const plain = PLAIN.test(text) && !RESERVED.test(text) && text.trim() === text;
  return plain ? text : JSON.stringify(text);
}
