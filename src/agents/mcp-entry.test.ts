import { describe, expect, it } from 'vitest';
import { cairnBinPath, claudeMcpConfig } from './mcp-entry.js';
import { BUILTIN_PROFILES } from './profiles.js';

describe('MCP registration of the built-in profiles', () => {
  it('the claude profile starts `cairn mcp` with the node running Cairn and allows its tools', () => {
    const command = BUILTIN_PROFILES.claude!.command;
    const config = JSON.parse(command[command.indexOf('--mcp-config') + 1]!) as unknown;
    expect(config).toEqual({
      mcpServers: { cairn: { command: process.execPath, args: [cairnBinPath(), 'mcp'] } },
    });
    expect(command.slice(command.indexOf('--allowedTools'))).toEqual(['--allowedTools', 'mcp__cairn']);
    // The prompt stays the positional argument right after -p, before the variadic options.
    expect(command.slice(0, 3)).toEqual(['claude', '-p', '{prompt}']);
    expect(claudeMcpConfig()).toBe(command[command.indexOf('--mcp-config') + 1]);
  });

  it('points at the built CLI, also when Cairn runs from its sources', () => {
    expect(cairnBinPath()).toMatch(/[/\\]dist[/\\]cli[/\\]bin\.js$/);
  });
});
