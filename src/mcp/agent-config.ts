import { MCP_SERVER_NAME, mcpServerCommand } from '../agents/mcp-entry.js';

export const CONFIG_TARGETS = ['claude', 'codex', 'gemini'] as const;
export type ConfigTarget = (typeof CONFIG_TARGETS)[number];

/** The identity variables a run gives agents; the server reads them from its own environment. */
export const IDENTITY_VARS = [
  'CAIRN_MILESTONE',
  'CAIRN_TASK',
  'CAIRN_ATTEMPT',
  'CAIRN_SESSION',
  'CAIRN_AGENT',
  'CAIRN_HOME',
  'CAIRN_PROMPT_FILE',
  'CAIRN_PROGRESS_FILE',
];

const toml = (value: string) => JSON.stringify(value);

/**
 * The snippet that registers `cairn mcp` with an agent CLI. Claude Code and Gemini CLI pass their
 * environment to the servers they start; Codex passes only a short allow-list, so the CAIRN_*
 * names are listed in `env_vars`.
 */
export function agentConfig(target: ConfigTarget): { file: string; text: string } {
  const { command, args } = mcpServerCommand();
  switch (target) {
    case 'claude':
      return {
        file: '.mcp.json (project), or: claude mcp add-json cairn \'<the "cairn" object>\'',
        text: JSON.stringify(
          { mcpServers: { [MCP_SERVER_NAME]: { type: 'stdio', command, args } } },
          null,
          2,
        ),
      };
    case 'codex':
      return {
        file: '~/.codex/config.toml (or .codex/config.toml in a trusted project)',
        text: [
          `[mcp_servers.${MCP_SERVER_NAME}]`,
          `command = ${toml(command)}`,
          `args = [${args.map(toml).join(', ')}]`,
          `env_vars = [${IDENTITY_VARS.map(toml).join(', ')}]`,
        ].join('\n'),
      };
    case 'gemini':
      return {
        file: '~/.gemini/settings.json (or .gemini/settings.json in the project)',
        text: JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: { command, args, trust: true } } }, null, 2),
      };
  }
}
