/** The files of the demo's sample project before the milestone: a tiny text library with tests. */
export const sampleFiles: Record<string, string> = {
  'package.json': `${JSON.stringify(
    { name: 'textkit', version: '0.1.0', type: 'module', private: true, scripts: { test: 'node --test' } },
    null,
    2,
  )}\n`,
  'README.md': '# textkit\n\nSmall text utilities.\n\n## Usage\n\n(to be written)\n',
  'src/index.js': [
    '// textkit: small text utilities. Each section is filled in by its own task.',
    '',
    '// --- strings ---',
    '// (string exports go here)',
    '',
    '// --- sections stay apart so that changes to each merge cleanly ---',
    "export const version = '0.1.0';",
    '',
    '// --- counting ---',
    '// (counting exports go here)',
    '',
  ].join('\n'),
  'test/version.test.js': [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { version } from '../src/index.js';",
    '',
    "test('version is set', () => assert.equal(version, '0.1.0'));",
    '',
  ].join('\n'),
  '.gitignore': 'node_modules/\n',
};

/** The demo milestone: 9 tasks over 4 waves; two tasks edit src/index.js at once, one fails once. */
export const sampleMilestone = `id: "001"
title: Text toolkit
base: main
integration: ["node --test"]
tasks:
  - id: slugify
    title: Slugify strings
    prompt: Add slugify(text) in src/slugify.js with tests.
    files: ["src/slugify.js", "test/slugify.test.js"]
    acceptance: ["node --test test/slugify.test.js"]
  - id: case
    title: Capitalize and title case
    prompt: Add capitalize(text) and titleCase(text) in src/case.js with tests.
    files: ["src/case.js", "test/case.test.js"]
    acceptance: ["node --test test/case.test.js"]
  - id: wordcount
    title: Count words
    prompt: Add countWords(text) in src/count.js with tests.
    files: ["src/count.js", "test/count.test.js"]
    acceptance: ["node --test test/count.test.js"]
  - id: truncate
    title: Truncate on word boundaries
    depends_on: [wordcount]
    prompt: Add truncate(text, words) in src/truncate.js using countWords, with tests.
    files: ["src/truncate.js", "test/truncate.test.js"]
    acceptance: ["node --test test/truncate.test.js"]
    weight: 2
  - id: export-strings
    title: Export string helpers
    depends_on: [slugify, case]
    prompt: Export slugify, capitalize and titleCase from src/index.js (strings section).
    files: ["src/index.js", "test/exports-strings.test.js"]
    acceptance: ["node --test test/exports-strings.test.js"]
  - id: export-counting
    title: Export counting helpers
    depends_on: [wordcount]
    prompt: Export countWords from src/index.js (counting section).
    files: ["src/index.js", "test/exports-counting.test.js"]
    acceptance: ["node --test test/exports-counting.test.js"]
  - id: cli
    title: Command-line interface
    type: feat
    depends_on: [export-strings, export-counting, truncate]
    prompt: Add bin/textkit.js that applies a helper named on the command line to its text.
    files: ["bin/**", "test/cli.test.js"]
    acceptance: ["node --test test/cli.test.js"]
  - id: docs
    title: Usage documentation
    type: docs
    depends_on: [export-strings, export-counting]
    prompt: Document every helper in README.md.
    files: ["README.md"]
  - id: changelog
    title: Changelog for 0.2.0
    type: docs
    depends_on: [cli, docs]
    prompt: Write CHANGELOG.md for the release.
    files: ["CHANGELOG.md"]
`;
