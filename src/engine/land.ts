import { git, tryGit } from '../git/git.js';
import { commitIdentityEnv } from '../git/identity.js';
import { commitTree, mergeTrees } from '../git/merge.js';
import { casUpdateBranch, isAncestor, resolveCommit } from '../git/refs.js';
import { resolveRepo } from '../git/repo.js';
import {
  addWorktree,
  clearInterruptedRegistrations,
  listWorktrees,
  removeWorktree,
} from '../git/worktree.js';
import { WorkFailedError } from '../shared/errors.js';
import { settleDiscards } from '../shared/discard.js';
import { formatCommitMessage } from '../git/trailers.js';
import { runChecks } from './checks.js';
import { landMessage } from './land-message.js';
import { loadMilestone } from './load.js';
import { integrationBranch, integrationWorktree, milestoneWorktrees } from './names.js';
import { openStore } from './open-store.js';
import { newRunId, takeLease } from './lease.js';
import { captureCheckpoint } from './checkpoints/capture.js';
import type { RunReporter } from './reporter.js';
import path from 'node:path';
import { openPullRequest } from './pull-request.js';
import { landingBase, pushCommit } from './remote.js';

export interface LandOptions {
  cwd: string;
  milestone: string;
  reporter: RunReporter;
  signal: AbortSignal;
  /** Open a pull request (after integration passes) instead of merging locally. */
  pr?: boolean;
}

export interface LandResult {
  milestone: string;
  base: string;
  commit: string;
  integrationBranch: string;
  updatedWorktree: string | undefined;
  /** True when the milestone had landed before: nothing was done. */
  alreadyLanded?: boolean;
  /** With --pr: the pull request's URL (nothing was merged locally). */
  pullRequest?: string;
  /** With a remote: the remote base was pushed (and fetched first). */
  remote?: string;
}

/** Where `base` is checked out, if anywhere, refusing when that checkout has uncommitted changes. */
async function checkedOutBase(root: string, base: string): Promise<string | undefined> {
  const holder = (await listWorktrees(root)).find((entry) => entry.branch === base);
  if (!holder) return undefined;
  const dirty = await git(holder.path, ['status', '--porcelain', '--untracked-files=no']);
  if (dirty !== '') {
    throw new WorkFailedError(
      'E_DIRTY_BASE',
      `${base} is checked out at ${holder.path} with uncommitted changes`,
      {
        hint: `Commit or stash them (git -C ${holder.path} stash), then run \`cairn land\` again.`,
        details: dirty.split('\n').slice(0, 10),
      },
    );
  }
  return holder.path;
}

/** Merges the milestone with the latest base into the integration branch (no-op when base has not moved). */
async function buildIntegration(
  root: string,
  branch: string,
  milestoneHead: string,
  baseHead: string,
  base: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  if (await isAncestor(root, baseHead, milestoneHead)) return milestoneHead;
  const merged = await mergeTrees(root, milestoneHead, baseHead);
  if ('conflicts' in merged) {
    throw new WorkFailedError('E_LAND_CONFLICT', `${branch} conflicts with the latest ${base}`, {
      details: merged.conflicts.map((file) => `conflict: ${file}`),
      hint: `Merge ${base} into ${branch} by hand, resolve, commit, then run \`cairn land\` again.`,
    });
  }
  const message = formatCommitMessage({ subject: `Merge ${base} into ${branch} for landing`, trailers: [] });
  return commitTree(root, merged.tree, [milestoneHead, baseHead], message, env);
}

/** `cairn land`: integration on the merged result, then a no-fast-forward merge into base. */
export async function landMilestone(options: LandOptions): Promise<LandResult> {
  const repo = await resolveRepo(options.cwd);
  const { spec, config } = loadMilestone(repo.root, options.milestone, options.cwd);
  const store = openStore(repo);
  let release: (() => void) | undefined;
  try {
    const row = store.milestone(spec.id);
    if (!row) {
      throw new WorkFailedError('E_NOT_RUN', `milestone ${spec.id} has not been run yet`, {
        hint: `Run it first: cairn run ${spec.id}`,
      });
    }
    if (row.state === 'landed' && row.landed_commit) {
      return {
        milestone: spec.id,
        base: spec.base,
        commit: row.landed_commit,
        integrationBranch: integrationBranch(spec.id),
        updatedWorktree: undefined,
        alreadyLanded: true,
      };
    }
    const tasks = store.tasks(spec.id).filter((task) => spec.tasks.some((t) => t.id === task.id));
    const unfinished = tasks.filter((task) => task.state !== 'done' && task.state !== 'skipped');
    if (unfinished.length > 0) {
      throw new WorkFailedError(
        'E_NOT_DONE',
        `milestone ${spec.id} has ${unfinished.length} unfinished task${unfinished.length === 1 ? '' : 's'}`,
        {
          details: unfinished.map(
            (task) => `${task.id}: ${task.state}${task.reason ? ` (${task.reason})` : ''}`,
          ),
          hint: `Finish them with \`cairn run ${spec.id}\`, then land.`,
        },
      );
    }
    // Landing while a run merges into the milestone would land a moving target.
    release = takeLease(store, spec.id, `land-${newRunId()}`, options.reporter);
    // A land or run of this milestone killed while it made a worktree left its registration.
    await clearInterruptedRegistrations(
      repo.root,
      repo.commonDir,
      milestoneWorktrees(repo.stateDir, spec.id),
    );
    const milestoneHead = await resolveCommit(repo.root, `refs/heads/${row.branch}`);
    const localBase = await resolveCommit(repo.root, `refs/heads/${spec.base}`);
    // With a remote, land on its base when it is ahead of ours: someone else landed meanwhile.
    const fetched =
      config.remote && localBase
        ? await landingBase(repo.root, config.remote, spec.base, localBase).catch((error: unknown) => {
            throw new WorkFailedError(
              'E_FETCH',
              `cannot fetch ${spec.base} from ${config.remote}: ${(error as Error).message}`,
              {
                hint: `Check the remote (\`git fetch ${config.remote}\`); nothing was changed.`,
              },
            );
          })
        : undefined;
    if (fetched?.fromRemote)
      options.reporter.onNotice(`${config.remote}/${spec.base} is ahead of ${spec.base}: landing on it`);
    const baseHead = fetched?.head ?? localBase;
    if (!milestoneHead || !baseHead) {
      throw new WorkFailedError(
        'E_NO_BRANCH',
        `branch ${milestoneHead ? spec.base : row.branch} is missing`,
        { hint: 'Check `git branch`; Cairn cannot land without both branches.' },
      );
    }
    await checkedOutBase(repo.root, spec.base);
    const env = await commitIdentityEnv(repo.root);
    const integration = await buildIntegration(
      repo.root,
      row.branch,
      milestoneHead,
      baseHead,
      spec.base,
      env,
    );
    const integrationRef = integrationBranch(spec.id);
    await git(repo.root, [
      'update-ref',
      '-m',
      'cairn: integration for land',
      `refs/heads/${integrationRef}`,
      integration,
    ]);
    const dir = integrationWorktree(repo.stateDir, spec.id);
    await addWorktree(repo.root, dir, integrationRef, undefined);
    const logFile = path.join(repo.stateDir, 'logs', `land-${spec.id}-${newRunId()}.log`);
    options.reporter.onNotice(
      `running integration on ${integrationRef}: ${spec.integration.join(' && ') || '(none declared)'}`,
    );
    const checks = await runChecks({
      commands: spec.integration,
      cwd: dir,
      env: process.env,
      logFile,
      timeoutMs: 60 * 60_000,
      graceMs: 5_000,
      signal: options.signal,
      label: 'integration',
    });
    await removeWorktree(repo.root, dir);
    await settleDiscards();
    if (!checks.ok) {
      throw new WorkFailedError('E_INTEGRATION_FAILED', `not landed: ${checks.reason}`, {
        hint: `Read the log at ${logFile}, fix on ${row.branch}, then run \`cairn land\` again.`,
      });
    }
    await captureCheckpoint({ repo, store, milestone: spec.id, branch: row.branch, reason: 'before-land' });
    if (options.pr) {
      const opened = await openPullRequest({
        repo,
        store,
        spec,
        config,
        branch: row.branch,
        cwd: options.cwd,
      });
      options.reporter.onNotice(`pull request opened: ${opened.url}`);
      return {
        milestone: spec.id,
        base: spec.base,
        commit: opened.head,
        integrationBranch: integrationRef,
        updatedWorktree: undefined,
        pullRequest: opened.url,
        ...(config.remote ? { remote: config.remote } : {}),
      };
    }
    const message = await landMessage(repo.root, spec, tasks, baseHead, integration);
    const tree = await git(repo.root, ['rev-parse', `${integration}^{tree}`]);
    const commit = await commitTree(repo.root, tree, [baseHead, integration], message, env);
    if (config.remote) {
      // The remote first: if its base moved meanwhile, nothing local has changed yet.
      const pushed = await pushCommit(repo.root, config.remote, commit, spec.base);
      if (pushed.kind === 'rejected' || pushed.kind === 'failed') {
        throw new WorkFailedError(
          'E_PUSH',
          `cannot push the landing to ${config.remote}/${spec.base}: ${pushed.detail}`,
          {
            hint:
              pushed.kind === 'rejected'
                ? `${config.remote}/${spec.base} moved while landing: run \`cairn land ${spec.id}\` again (it fetches first; nothing is forced).`
                : `Check the remote (\`git remote -v\`); nothing was changed locally.`,
          },
        );
      }
    }
    const checkout = await checkedOutBase(repo.root, spec.base);
    if (checkout) {
      const ff = await tryGit(checkout, ['merge', '--ff-only', '--quiet', commit]);
      if (ff.code !== 0) {
        throw new WorkFailedError(
          'E_LAND_UPDATE',
          `could not update ${spec.base} in ${checkout}: ${ff.stderr.trim()}`,
          { hint: 'Run `cairn land` again.' },
        );
      }
    } else if (
      !(await casUpdateBranch(repo.root, spec.base, commit, localBase!, `cairn: land milestone ${spec.id}`))
    ) {
      throw new WorkFailedError('E_BASE_MOVED', `${spec.base} moved while landing`, {
        hint: 'Run `cairn land` again to integrate the new commits.',
      });
    }
    store.append({ type: 'milestone.landed', milestone: spec.id, commit });
    return {
      milestone: spec.id,
      base: spec.base,
      commit,
      integrationBranch: integrationRef,
      updatedWorktree: checkout,
      ...(config.remote ? { remote: config.remote } : {}),
    };
  } finally {
    release?.();
    store.close();
  }
}
