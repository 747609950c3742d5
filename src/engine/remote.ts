import { tryGit } from '../git/git.js';
import { commitTree, mergeTrees } from '../git/merge.js';
import { casUpdateBranch, isAncestor, resolveCommit } from '../git/refs.js';
import type { CairnEvent } from '../store/events.js';
import type { Store } from '../store/types.js';

export type PushResult =
  | { kind: 'pushed' }
  | { kind: 'up-to-date' }
  | { kind: 'rejected'; detail: string }
  | { kind: 'failed'; detail: string };

const firstLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .find((line) => line.trim() !== '') ?? '';

/** Pushes a branch without force, with upstream tracking; says whether the remote refused it. */
export function pushBranch(root: string, remote: string, branch: string): Promise<PushResult> {
  const ref = `refs/heads/${branch}`;
  return push(root, ['--set-upstream', remote, `${ref}:${ref}`]);
}

/** Pushes a commit to a branch of the remote without force. */
export function pushCommit(
  root: string,
  remote: string,
  commit: string,
  branch: string,
): Promise<PushResult> {
  return push(root, [remote, `${commit}:refs/heads/${branch}`]);
}

async function push(root: string, args: string[]): Promise<PushResult> {
  const result = await tryGit(root, ['push', '--porcelain', ...args]);
  if (result.code === 0)
    return /\[up to date\]/.test(result.stdout) ? { kind: 'up-to-date' } : { kind: 'pushed' };
  const text = `${result.stdout}\n${result.stderr}`;
  if (/\[rejected\]|non-fast-forward|fetch first|\(stale info\)/.test(text)) {
    return { kind: 'rejected', detail: firstLine(result.stderr) || firstLine(result.stdout) };
  }
  return { kind: 'failed', detail: firstLine(result.stderr) || `git push exited ${String(result.code)}` };
}

/** Fetches one branch of the remote into its remote-tracking ref; returns its commit, if any. */
export async function fetchBranch(root: string, remote: string, branch: string): Promise<string | undefined> {
  const tracking = `refs/remotes/${remote}/${branch}`;
  const result = await tryGit(root, [
    'fetch',
    '--quiet',
    '--no-tags',
    remote,
    `+refs/heads/${branch}:${tracking}`,
  ]);
  if (result.code !== 0)
    throw new Error(firstLine(result.stderr) || `git fetch exited ${String(result.code)}`);
  return resolveCommit(root, tracking);
}

/**
 * Brings what the remote's copy of the milestone branch has and ours lacks into ours, with a merge
 * commit moved in by compare-and-swap (the merge queue may move the branch meanwhile: then the
 * next push tries again). Never rewrites either side.
 */
async function mergeRemote(
  root: string,
  remote: string,
  branch: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const theirs = await fetchBranch(root, remote, branch);
  const ours = await resolveCommit(root, `refs/heads/${branch}`);
  if (!theirs || !ours || (await isAncestor(root, theirs, ours))) return 'nothing to bring in';
  const merged = await mergeTrees(root, ours, theirs);
  if ('conflicts' in merged) {
    throw new Error(
      `${remote}/${branch} has commits that conflict with ours in ${merged.conflicts.join(', ')}`,
    );
  }
  const message = `Merge ${remote}/${branch} into ${branch}\n\nThe remote copy of the milestone branch moved; Cairn brings its commits in rather than forcing.\n`;
  const commit = await commitTree(root, merged.tree, [ours, theirs], message, env);
  const moved = await casUpdateBranch(root, branch, commit, ours, `cairn: merge ${remote}/${branch}`);
  return moved ? `merged ${remote}/${branch} (${theirs.slice(0, 10)})` : 'the branch moved meanwhile';
}

export interface Pusher {
  /** The store, with each merge journaled triggering a push (one in flight, the rest folded in). */
  watch(store: Store): Store;
  /** Waits for the pushes asked for so far. */
  flush(): Promise<void>;
}

/**
 * Keeps the remote's copy of the milestone branch up to date during a run: after each merge, a
 * push (never forced). A push the remote rejects because its copy moved is retried after a fetch
 * and a merge of the remote's commits; an unreachable remote is said once and the run goes on
 * locally, every merge kept.
 */
export function createPusher(options: {
  root: string;
  remote: string;
  branch: string;
  env: NodeJS.ProcessEnv;
  onNotice: (message: string) => void;
}): Pusher {
  const { root, remote, branch } = options;
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  let unreachableSaid = false;
  const pushOnce = async () => {
    queued = false;
    for (let tries = 0; tries < 3; tries++) {
      const result = await pushBranch(root, remote, branch);
      if (result.kind === 'pushed' || result.kind === 'up-to-date') return;
      if (result.kind === 'failed') {
        if (!unreachableSaid)
          options.onNotice(
            `cannot push ${branch} to ${remote} (${result.detail}); the work stays local and the run goes on`,
          );
        unreachableSaid = true;
        return;
      }
      try {
        const what = await mergeRemote(root, remote, branch, options.env);
        options.onNotice(`push of ${branch} rejected (${result.detail}); fetched: ${what}`);
      } catch (error) {
        options.onNotice(
          `push of ${branch} rejected and not retried: ${(error as Error).message}; the work stays local`,
        );
        return;
      }
    }
  };
  const poke = () => {
    if (queued) return;
    queued = true;
    chain = chain.then(pushOnce).catch((error: unknown) => {
      options.onNotice(`push of ${branch} failed: ${(error as Error).message}`);
    });
  };
  return {
    watch(store) {
      return {
        ...store,
        append(events: CairnEvent | CairnEvent[]) {
          store.append(events);
          const list = Array.isArray(events) ? events : [events];
          if (list.some((event) => event.type === 'task.merged')) poke();
        },
      };
    },
    flush: async () => {
      poke();
      await chain;
    },
  };
}

/** The commit of `base` to land on: the remote's when it is ahead of ours (ours is an ancestor). */
export async function landingBase(
  root: string,
  remote: string,
  base: string,
  localHead: string,
): Promise<{ head: string; fromRemote: boolean }> {
  const theirs = await fetchBranch(root, remote, base);
  if (theirs && theirs !== localHead && (await isAncestor(root, localHead, theirs))) {
    return { head: theirs, fromRemote: true };
  }
  return { head: localHead, fromRemote: false };
}
