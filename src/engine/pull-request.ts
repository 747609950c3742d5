import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveCommit } from '../git/refs.js';
import type { RepoPaths } from '../git/repo.js';
import { renderMarkdown } from '../progress/report/markdown.js';
import { buildReport } from '../progress/report/model.js';
import { runProcess } from '../shared/process.js';
import { InputError, WorkFailedError } from '../shared/errors.js';
import { DEFAULT_PR_COMMAND } from '../spec/read-remote.js';
import type { CairnConfig, MilestoneSpec } from '../spec/types.js';
import type { Store } from '../store/types.js';
import { newRunId } from './lease.js';
import { readProgress } from './progress.js';
import { pushBranch } from './remote.js';

export interface PullRequestResult {
  url: string;
  branch: string;
  head: string;
  command: string[];
}

/** The last http(s) URL a command printed: `gh pr create` ends with the pull request's. */
export function findUrl(output: string): string | undefined {
  const urls = output.match(/https?:\/\/[^\s"'<>]+/g);
  return urls?.[urls.length - 1];
}

/**
 * `cairn land --pr`: pushes the milestone branch (never forced), writes the milestone report as the
 * body, runs the pull request command (an argument array; default `gh pr create`), and journals the
 * URL it printed. Nothing is merged locally.
 */
export async function openPullRequest(options: {
  repo: RepoPaths;
  store: Store;
  spec: MilestoneSpec;
  config: CairnConfig;
  branch: string;
  cwd: string;
}): Promise<PullRequestResult> {
  const { repo, spec, config, branch } = options;
  const remote = config.remote;
  if (!remote) {
    throw new InputError('E_NO_REMOTE', '--pr needs a remote to push the milestone branch to', {
      hint: 'Add `remote: origin` (your remote’s name, see `git remote`) to .cairn/config.yaml.',
    });
  }
  const head = await resolveCommit(repo.root, `refs/heads/${branch}`);
  if (!head)
    throw new WorkFailedError('E_NO_BRANCH', `branch ${branch} is missing`, { hint: 'Check `git branch`.' });
  const pushed = await pushBranch(repo.root, remote, branch);
  if (pushed.kind === 'rejected' || pushed.kind === 'failed') {
    throw new WorkFailedError('E_PUSH', `cannot push ${branch} to ${remote}: ${pushed.detail}`, {
      hint:
        pushed.kind === 'rejected'
          ? `The remote's ${branch} moved: run \`cairn run ${spec.id}\` (it fetches and merges the remote's commits, never forcing), then \`cairn land ${spec.id} --pr\` again.`
          : `Check the remote (\`git remote -v\`, \`git push ${remote} ${branch}\`); nothing was changed locally.`,
    });
  }
  const progress = await readProgress(repo, spec.id, options.cwd);
  const body = renderMarkdown(buildReport(progress.report, progress.input, []));
  const bodyFile = path.join(repo.stateDir, 'logs', `pr-${spec.id}-${newRunId()}.md`);
  mkdirSync(path.dirname(bodyFile), { recursive: true });
  writeFileSync(bodyFile, body);
  const values: Record<string, string> = {
    base: spec.base,
    branch,
    title: `Milestone ${spec.id}: ${spec.title}`,
    body_file: bodyFile,
    milestone: spec.id,
    remote,
  };
  const template = config.pr?.command ?? DEFAULT_PR_COMMAND;
  const argv = template.map((part) =>
    part.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole),
  );
  const result = await runProcess(argv[0]!, argv.slice(1), { cwd: repo.root, env: process.env }).catch(
    (error: unknown) => ({ code: null as number | null, stdout: '', stderr: (error as Error).message }),
  );
  const url = findUrl(result.stdout) ?? findUrl(result.stderr);
  if (result.code !== 0 || !url) {
    const said = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
    throw new WorkFailedError(
      'E_PR',
      `the pull request command failed (${argv[0]} exited ${String(result.code)}): ${said || 'no URL printed'}`,
      {
        hint: `The branch ${branch} is pushed to ${remote}; fix the command (pr.command in .cairn/config.yaml, default gh) and run \`cairn land ${spec.id} --pr\` again.`,
      },
    );
  }
  options.store.append({ type: 'milestone.pr', milestone: spec.id, url, branch, head });
  return { url, branch, head, command: argv };
}
