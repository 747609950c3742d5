/** The git hooks Cairn installs, in the order `status` lists them. */
export const HOOK_NAMES = ['commit-msg', 'pre-commit', 'post-commit'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export function isHookName(name: string): name is HookName {
  return (HOOK_NAMES as readonly string[]).includes(name);
}

/** Second line of every hook Cairn writes; any version is recognised as Cairn's. */
const MARKER = '# cairn-hook';
const VERSION = 'v1';

/** A user's hook moves next to Cairn's under this suffix and runs first. */
export const CHAINED_SUFFIX = '.cairn-chained';

/** Where the hook calls back into Cairn: absolute paths of node and of `dist/cli/bin.js`. */
export interface CairnCommand {
  node: string;
  cli: string;
}

/** One shell word, whatever the value holds: single quotes, with each `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function isCairnHook(text: string): boolean {
  return text.split('\n', 3)[1]?.startsWith(`${MARKER} `) === true;
}

// post-commit cannot stop a commit, so a failing user hook there does not skip Cairn's part.
const onChainedFailure = (name: HookName) => (name === 'post-commit' ? ':' : 'exit $?');

/**
 * The POSIX sh script installed as hook `name`: runs the chained user hook first, with the
 * same arguments, then `cairn hooks run <name>`. A user hook written for sh is sourced in a
 * fresh shell whose `$0` is this hook's path, because some (husky's) find their work by it.
 */
export function renderHookScript(name: HookName, command: CairnCommand): string {
  const onFailure = onChainedFailure(name);
  return `#!/bin/sh
${MARKER} ${VERSION} ${name}: installed by \`cairn hooks install\`; \`cairn hooks uninstall\` removes it.
# A hook that was here before runs first; it was moved to ${name}${CHAINED_SUFFIX} and is restored on uninstall.
chained="$0${CHAINED_SUFFIX}"
if [ -x "$chained" ]; then
  case "$(sed -n 1p "$chained")" in
    '#!/bin/sh' | '#!/usr/bin/env sh')
      CAIRN_CHAINED_HOOK="$chained" sh -c '. "$CAIRN_CHAINED_HOOK"' "$0" "$@" || ${onFailure} ;;
    *) "$chained" "$@" || ${onFailure} ;;
  esac
fi
node=${shellQuote(command.node)}
cli=${shellQuote(command.cli)}
if [ ! -x "$node" ] || [ ! -f "$cli" ]; then
  echo "cairn: $cli or $node is gone; ${name} hook skipped (run \\\`cairn hooks install\\\` again or \\\`cairn hooks uninstall\\\`)" >&2
  exit 0
fi
exec "$node" "$cli" hooks run ${name} "$@"
`;
}
