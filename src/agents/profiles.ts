import type { AgentProfileSpec } from '../spec/types.js';
import { claudeMcpConfig, MCP_SERVER_NAME } from './mcp-entry.js';

export type AgentKind = 'claude-code' | 'codex' | 'aider' | 'gemini' | 'command';

export interface AgentProfile extends AgentProfileSpec {
  name: string;
  kind: AgentKind;
}

/**
 * Profiles every project has. Each runs its tool non-interactively with the prompt as one
 * argument and may edit files in the worktree; Cairn commits and checks what they leave.
 */
export const BUILTIN_PROFILES: Record<string, AgentProfile> = {
  claude: {
    name: 'claude',
    kind: 'claude-code',
    // The `cairn mcp` tools are registered and allowed, so the agent can coordinate without setup.
    command: [
      'claude',
      '-p',
      '{prompt}',
      '--permission-mode',
      'acceptEdits',
      '--output-format',
      'text',
      '--mcp-config',
      claudeMcpConfig(),
      '--allowedTools',
      `mcp__${MCP_SERVER_NAME}`,
    ],
  },
  codex: {
    name: 'codex',
    kind: 'codex',
    command: ['codex', 'exec', '--sandbox', 'workspace-write', '{prompt}'],
  },
  aider: {
    name: 'aider',
    kind: 'aider',
    command: ['aider', '--yes-always', '--no-check-update', '--no-pretty', '--message-file', '{prompt_file}'],
  },
  gemini: {
    name: 'gemini',
    kind: 'gemini',
    command: ['gemini', '--approval-mode', 'auto_edit', '--prompt', '{prompt}'],
  },
};

const kindByBinary: Record<string, AgentKind> = {
  claude: 'claude-code',
  codex: 'codex',
  aider: 'aider',
  gemini: 'gemini',
};

/** Built-ins, then the project config, then the spec: later layers replace earlier profiles by name. */
export function mergeProfiles(...layers: Record<string, AgentProfileSpec>[]): Record<string, AgentProfile> {
  const merged: Record<string, AgentProfile> = { ...BUILTIN_PROFILES };
  for (const layer of layers) {
    for (const [name, spec] of Object.entries(layer)) {
      const binary = (spec.command[0] ?? '').split('/').pop() ?? '';
      merged[name] = { ...spec, name, kind: kindByBinary[binary] ?? 'command' };
    }
  }
  return merged;
}

export interface TemplateValues {
  prompt: string;
  prompt_file: string;
  task: string;
  milestone: string;
  worktree: string;
}

/** Fills `{placeholder}`s in each argv element; a value never splits into several arguments. */
export function expandCommand(template: string[], values: TemplateValues): string[] {
  return template.map((part) =>
    part.replace(
      /\{(prompt_file|prompt|task|milestone|worktree)\}/g,
      (_, key: keyof TemplateValues) => values[key],
    ),
  );
}
