import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The MCP server's name in every agent's configuration (Claude Code tools are `mcp__cairn__<tool>`). */
export const MCP_SERVER_NAME = 'cairn';

/**
 * The built CLI entry (`dist/cli/bin.js`), found from this module's own place so it works from
 * a global install, a checkout or `npx`; when run from sources (tsx), the build next to them.
 */
export function cairnBinPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (import.meta.url.endsWith('.ts')) return path.resolve(here, '..', '..', 'dist', 'cli', 'bin.js');
  return path.resolve(here, '..', 'cli', 'bin.js');
}

/** How an agent CLI starts `cairn mcp`: `node <dist/cli/bin.js> mcp`. */
export function mcpServerCommand(node = 'node'): { command: string; args: string[] } {
  return { command: node, args: [cairnBinPath(), 'mcp'] };
}

/**
 * Claude Code's `--mcp-config` value for the built-in profile: the server started by the exact
 * node running Cairn (Claude Code passes its environment, so the CAIRN_* identity, down to it).
 */
export function claudeMcpConfig(): string {
  return JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: mcpServerCommand(process.execPath) } });
}
