/** The `.cairn/config.yaml` that `cairn init` writes: defaults and the built-in profiles, explained. */
export function defaultConfigText(base: string): string {
  return `# Cairn project configuration. Specs in .milestones/ may override agent profiles.
defaults:
  agent: claude        # profile used by tasks without an \`agent:\`
  concurrency: 4       # agents working at once
  retries: 1           # retries after a failed attempt (fresh attempt, same branch)
  timeout: 30m         # per attempt; the agent's process group is killed after it
  base: ${JSON.stringify(base)}${' '.repeat(Math.max(1, 13 - JSON.stringify(base).length))}# branch milestones start from and land on

# Agent profiles. Built-in: claude, codex, aider, gemini. A profile is an argv
# template; {prompt}, {prompt_file}, {task}, {milestone} and {worktree} are
# replaced, each staying one argument. Agents also get CAIRN_TASK,
# CAIRN_MILESTONE, CAIRN_ATTEMPT, CAIRN_SESSION, CAIRN_AGENT, CAIRN_PROMPT_FILE
# and CAIRN_HOME in their environment.
agents: {}
#  claude:
#    command: ["claude", "-p", "{prompt}", "--permission-mode", "acceptEdits"]
#  coder:
#    command: ["./scripts/my-agent.sh", "{prompt_file}"]
#    timeout: 20m
#    retries: 2
#    max_concurrency: 2   # attempts of this profile at once (default: no own limit)
#    fallback: [codex]    # used when coder is full, its circuit open, or its retries spent
`;
}
