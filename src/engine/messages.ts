import { formatCommitMessage } from '../git/trailers.js';
import type { FileChange } from '../git/status.js';
import { classifyFile, type FileKind } from '../shared/file-kind.js';
import type { AgentProfile } from '../agents/profiles.js';
import { inferCommitType } from './commit-type.js';

export interface MessageContext {
  milestoneId: string;
  run: string;
  /** `type` absent: inferred from the change (commit-type.ts). */
  task: { id: string; title: string; type?: string };
  attempt?: number;
  agent: AgentProfile;
  /** Tasks that depend on this one: each gets a `Resolves dependency:` line. */
  unblocks?: string[];
}

/** "2 code files (1 added), 1 test file" — what an agent's commit changed, by kind. */
export function summarizeChanges(changes: FileChange[]): string {
  const counts = new Map<FileKind, { total: number; added: number; deleted: number }>();
  for (const change of changes) {
    const kind = classifyFile(change.path);
    const entry = counts.get(kind) ?? { total: 0, added: 0, deleted: 0 };
    entry.total++;
    if (change.kind === 'added' || change.kind === 'untracked') entry.added++;
    if (change.kind === 'deleted') entry.deleted++;
    counts.set(kind, entry);
  }
  const parts = [...counts].map(([kind, c]) => {
    const extra = [c.added ? `${c.added} added` : '', c.deleted ? `${c.deleted} deleted` : ''].filter(
      Boolean,
    );
    return `${c.total} ${kind} file${c.total === 1 ? '' : 's'}${extra.length ? ` (${extra.join(', ')})` : ''}`;
  });
  return parts.length > 0 ? parts.join(', ') : 'no file changes';
}

function trailers(context: MessageContext, extra: [string, string][] = []): [string, string][] {
  return [
    ['Milestone', context.milestoneId],
    ['Task', context.task.id],
    ...extra,
    ['Session', context.run],
    ['Agent', `${context.agent.name} (${context.agent.kind})`],
  ];
}

/**
 * The commit Cairn writes for what an agent left uncommitted. `whole`: everything the task
 * changed (its earlier commits too), from which a missing type is inferred.
 */
export function taskCommitMessage(
  context: MessageContext,
  changes: FileChange[],
  progress: string = '100%',
  whole: FileChange[] = changes,
): string {
  const files = changes
    .slice(0, 30)
    .map((change) => `- ${change.path} (${change.kind === 'untracked' ? 'added' : change.kind})`);
  const type = context.task.type ?? inferCommitType(whole);
  const resolves = (context.unblocks ?? []).map((task) => `Resolves dependency: ${task}`);
  return formatCommitMessage({
    subject: `${type}(milestone-${context.milestoneId}): ${context.task.title}`,
    body: [
      `Changes: ${summarizeChanges(changes)}.`,
      ...files,
      ...(resolves.length ? ['', ...resolves] : []),
    ].join('\n'),
    // `Attempt` lets a resumed run recognise the finished work of an attempt it never heard end.
    trailers: trailers(context, [
      ['Progress', progress],
      ...(context.attempt === undefined
        ? []
        : ([['Attempt', String(context.attempt)]] as [string, string][])),
    ]),
  });
}

/** The merge commit that brings a task into the milestone branch, with its testing notes. */
export function taskMergeMessage(context: MessageContext, branch: string, acceptance: string[]): string {
  const checks =
    acceptance.length > 0
      ? acceptance.map((command) => `- passed: ${command}`)
      : ['- no acceptance commands declared; nothing was run'];
  const resolves = (context.unblocks ?? []).map((task) => `Resolves dependency: ${task}`);
  return formatCommitMessage({
    subject: `Merge task '${context.task.id}' into milestone ${context.milestoneId}: ${context.task.title}`,
    body: [
      `Merges ${branch}.`,
      '',
      'Testing notes (acceptance in the task worktree):',
      ...checks,
      ...(resolves.length ? ['', ...resolves] : []),
    ].join('\n'),
    trailers: trailers(context),
  });
}
