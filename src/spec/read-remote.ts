import type { Node } from 'yaml';
import type { PullRequestSpec } from './types.js';
import { readField, readMapping } from './yaml-read.js';
import { report } from './yaml-source.js';
import type { Source } from './yaml-source.js';
import { readString, readStringList } from './yaml-values.js';

/** A git remote name, as `git remote` lists them: no spaces, no option-like or path-like names. */
const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function readRemote(source: Source, node: Node, path: string): string | undefined {
  const name = readString(source, node, path);
  if (name === undefined || REMOTE_NAME.test(name)) return name;
  report(
    source,
    node,
    path,
    `\`${name}\` is not a git remote name`,
    'use the name `git remote` lists, e.g. origin',
  );
  return undefined;
}

export const DEFAULT_PR_COMMAND = [
  'gh',
  'pr',
  'create',
  '--base',
  '{base}',
  '--head',
  '{branch}',
  '--title',
  '{title}',
  '--body-file',
  '{body_file}',
];

/** `pr: { command: [...] }`: how `cairn land --pr` opens a pull request (argument array, placeholders). */
export function readPullRequest(source: Source, node: Node, path: string): PullRequestSpec | undefined {
  const fields = readMapping(source, node, path, { allowed: ['command'], what: 'the pull request settings' });
  if (fields === undefined) return undefined;
  const command = readField(source, fields, path, 'command', readStringList);
  if (command === undefined) return {};
  if (command.length > 0 && command[0] !== '') return { command };
  report(
    source,
    node,
    `${path}.command`,
    'the pull request command needs a program',
    `e.g. ${JSON.stringify(DEFAULT_PR_COMMAND)}`,
  );
  return undefined;
}
