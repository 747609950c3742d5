// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import boundaries: dependencies point inward (see DESIGN.md, "Layout"). */
const boundaries = {
  shared: [
    'spec',
    'store',
    'git',
    'agents',
    'progress',
    'bus',
    'engine',
    'ui',
    'mcp',
    'cli',
    'demo',
    'monitor',
  ],
  spec: ['store', 'git', 'agents', 'progress', 'bus', 'engine', 'ui', 'mcp', 'cli', 'demo', 'monitor'],
  store: ['git', 'agents', 'progress', 'bus', 'engine', 'ui', 'mcp', 'cli', 'demo', 'monitor'],
  git: ['spec', 'store', 'agents', 'progress', 'bus', 'engine', 'ui', 'mcp', 'cli', 'demo', 'monitor'],
  agents: ['store', 'git', 'progress', 'bus', 'engine', 'ui', 'mcp', 'cli', 'demo', 'monitor'],
  progress: ['engine', 'ui', 'mcp', 'cli', 'demo', 'monitor'],
  bus: ['progress', 'engine', 'ui', 'mcp', 'cli', 'demo', 'monitor'],
  monitor: ['store', 'agents', 'progress', 'bus', 'engine', 'ui', 'mcp', 'cli', 'demo'],
  engine: ['ui', 'mcp', 'cli', 'demo'],
  ui: ['mcp', 'cli', 'demo'],
  mcp: ['ui', 'cli', 'demo'],
  demo: ['ui', 'mcp', 'cli'],
};

const pureIo = ['node:fs', 'node:fs/promises', 'node:child_process', 'better-sqlite3'];

const boundaryRules = Object.entries(boundaries).map(([folder, forbidden]) => ({
  files: [`src/${folder}/**/*.ts`],
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths:
          folder === 'spec' ? pureIo.map((name) => ({ name, message: 'src/spec is pure: no I/O.' })) : [],
        patterns: forbidden.map((target) => ({
          group: [`**/${target}/*`, `../${target}/*`],
          message: `src/${folder} must not import from src/${target} (dependencies point inward; see DESIGN.md).`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
    },
  },
  ...boundaryRules,
);
