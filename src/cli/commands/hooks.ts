import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolveRepo } from '../../git/repo.js';
import { readHookFiles } from '../../progress/hooks/hook-files.js';
import { locateHooks, type HooksLocation } from '../../progress/hooks/hooks-dir.js';
import {
  installHooks,
  uninstallHooks,
  type InstallChange,
  type UninstallChange,
} from '../../progress/hooks/install.js';
import { CHAINED_SUFFIX, HOOK_NAMES, type CairnCommand } from '../../progress/hooks/script.js';
import { InputError } from '../../shared/errors.js';
import { formatTable, printJson } from '../output.js';

/** The hooks git uses for the repository around the current directory (exit 2 outside one). */
async function location(): Promise<HooksLocation> {
  await resolveRepo(process.cwd());
  return locateHooks(process.cwd());
}

/** How the hooks call back into this Cairn: this node and this build's entry point. */
function cairnCommand(): CairnCommand {
  const cli = fileURLToPath(new URL('../bin.js', import.meta.url));
  if (!existsSync(cli)) {
    throw new InputError('E_NOT_BUILT', `Cairn's built entry point ${cli} does not exist`, {
      hint: 'Run `npm run build` and install the hooks with `node dist/cli/bin.js hooks install`.',
    });
  }
  return { node: process.execPath, cli };
}

function header(where: HooksLocation): string {
  const why = where.coreHooksPath === null ? '' : ` (core.hooksPath = ${where.coreHooksPath})`;
  return `Hooks in ${where.dir}${why}:`;
}

function printChanges(where: HooksLocation, changes: { name: string; what: string }[]): void {
  const lines = changes.map(({ name, what }) => `  ${name.padEnd(13)}${what}`);
  process.stdout.write(`${[header(where), ...lines].join('\n')}\n`);
}

const installed: Record<InstallChange['action'], string> = {
  installed: 'installed',
  chained: 'installed',
  updated: 'updated (it pointed at another Cairn or node)',
  unchanged: 'already installed',
};

function installedLine({ name, action, chained }: InstallChange): string {
  if (!chained) return installed[action];
  const kept = `${name}${CHAINED_SUFFIX}`;
  return action === 'chained'
    ? `installed; the hook that was there runs first (kept as ${kept})`
    : `${installed[action]}; ${kept} runs first`;
}

/** `cairn hooks install`: Cairn's commit-msg, pre-commit and post-commit hooks, chained with the user's. */
export async function install(): Promise<number> {
  const where = await location();
  const changes = installHooks(where.dir, cairnCommand());
  printChanges(
    where,
    changes.map((change) => ({ name: change.name, what: installedLine(change) })),
  );
  return 0;
}

const removed: Record<UninstallChange['action'], (name: string) => string> = {
  removed: () => 'removed',
  restored: (name) => `removed; the hook that was there is back (from ${name}${CHAINED_SUFFIX})`,
  foreign: () => "not Cairn's: left as it is",
  absent: () => 'not installed',
};

/** `cairn hooks uninstall`: removes Cairn's hooks and restores the ones they chained. */
export async function uninstall(): Promise<number> {
  const where = await location();
  const changes = uninstallHooks(where.dir);
  printChanges(
    where,
    changes.map(({ name, action }) => ({ name, what: removed[action](name) })),
  );
  return 0;
}

const described = { installed: 'installed', foreign: "not Cairn's (install chains it)", missing: 'missing' };

/** `cairn hooks status`: which of Cairn's hooks are installed where git looks for hooks. */
export async function status(options: { json?: boolean }): Promise<number> {
  const where = await location();
  const hooks = HOOK_NAMES.map((name) => readHookFiles(where.dir, name)).map((hook) => ({
    name: hook.name,
    state: hook.state,
    chained: hook.chained && !hook.chainedIsCairn,
  }));
  if (options.json) {
    printJson({ hooks_dir: where.dir, core_hooks_path: where.coreHooksPath, hooks });
    return 0;
  }
  const rows = hooks.map((hook) => [
    hook.name,
    described[hook.state],
    !hook.chained
      ? '-'
      : `${hook.name}${CHAINED_SUFFIX} ${hook.state === 'installed' ? 'runs first' : 'present, not run'}`,
  ]);
  const next = hooks.every((hook) => hook.state === 'installed')
    ? ''
    : '\nRun `cairn hooks install` to install the missing ones.\n';
  process.stdout.write(`${header(where)}\n${formatTable(['HOOK', 'STATE', 'CHAINED'], rows)}\n${next}`);
  return 0;
}
