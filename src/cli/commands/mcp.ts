import { agentConfig, CONFIG_TARGETS, type ConfigTarget } from '../../mcp/agent-config.js';
import { InputError } from '../../shared/errors.js';

interface McpFlags {
  printConfig?: string;
}

/** `cairn mcp`: the stdio MCP server for agents; `--print-config <agent>` prints how to register it. */
export default async function mcp(flags: McpFlags): Promise<number> {
  if (flags.printConfig !== undefined) {
    if (!(CONFIG_TARGETS as readonly string[]).includes(flags.printConfig)) {
      throw new InputError('E_MCP_TARGET', `no MCP configuration for "${flags.printConfig}"`, {
        hint: `Use one of: ${CONFIG_TARGETS.join(', ')}`,
      });
    }
    const { file, text } = agentConfig(flags.printConfig as ConfigTarget);
    process.stderr.write(`# ${file}\n`);
    process.stdout.write(`${text}\n`);
    return 0;
  }
  const { serveStdio } = await import('../../mcp/server.js');
  await serveStdio(process.cwd(), process.env, '0.1.0');
  return 0;
}
