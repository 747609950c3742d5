import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git } from '../git/git.js';
import { InputError } from '../shared/errors.js';
import { sampleFiles, sampleMilestone } from './sample-project.js';

/** Where the scripted agent lives: next to this module, built or not. */
function demoAgentPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const built = path.join(here, 'demo-agent.js');
  if (existsSync(built)) return built;
  throw new InputError('E_NOT_BUILT', `the demo agent ${built} is missing`, {
    hint: 'Build Cairn first: npm run build',
  });
}

function demoConfig(concurrency: number): string {
  const command = [process.execPath, demoAgentPath(), '{task}'];
  return `# Demo configuration: a scripted agent stands in for Claude Code or Codex.
defaults:
  agent: scripted
  concurrency: ${concurrency}
  retries: 1
  timeout: 2m
  base: main
agents:
  scripted:
    command: ${JSON.stringify(command)}
`;
}

function writeAll(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/** Creates the sample repository: the project, then its milestone spec and config, each committed. */
export async function createDemoRepo(dir: string | undefined, concurrency: number): Promise<string> {
  const root = dir ? path.resolve(dir) : mkdtempSync(path.join(tmpdir(), 'cairn-demo-'));
  if (existsSync(root) && readdirSync(root).length > 0) {
    throw new InputError('E_DIR_NOT_EMPTY', `${root} is not empty`, {
      hint: 'Give --dir a new or empty directory, or leave it out for a temporary one.',
    });
  }
  mkdirSync(root, { recursive: true });
  writeAll(root, sampleFiles);
  await git(root, ['init', '--quiet', '--initial-branch=main']);
  await git(root, ['config', 'user.name', 'Cairn Demo']);
  await git(root, ['config', 'user.email', 'demo@cairn.invalid']);
  await git(root, ['add', '-A']);
  await git(root, ['commit', '--quiet', '-m', 'chore: textkit skeleton']);
  writeAll(root, {
    '.milestones/001-text-toolkit.yaml': sampleMilestone,
    '.cairn/config.yaml': demoConfig(concurrency),
  });
  await git(root, ['add', '-A']);
  await git(root, ['commit', '--quiet', '-m', 'chore: plan milestone 001 (text toolkit)']);
  return root;
}
