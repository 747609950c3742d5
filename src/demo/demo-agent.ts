#!/usr/bin/env node
/**
 * The demo's scripted agent: a stand-in for Claude Code or Codex that really edits files in
 * its worktree, so the demo needs no network. It knows each demo task by id.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const task = process.argv[2] ?? process.env.CAIRN_TASK ?? '';
const attempt = Number(process.env.CAIRN_ATTEMPT ?? '1');

const testFile = (name: string, imports: string, body: string) =>
  `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n${imports}\n\ntest('${name}', () => {\n${body}\n});\n`;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function replaceLine(file: string, marker: string, lines: string[]): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(marker)) throw new Error(`${file} has no line "${marker}"`);
  writeFileSync(file, text.replace(marker, lines.join('\n')));
}

const truncateBody =
  attempt === 1
    ? "  // First draft: off by one.\n  return text.split(/\\s+/).slice(0, words + 1).join(' ');"
    : "  if (countWords(text) <= words) return text;\n  return `${text.split(/\\s+/).slice(0, words).join(' ')}…`;";

const work: Record<string, { ms: number; run: () => void }> = {
  slugify: {
    ms: 600,
    run: () => {
      write(
        'src/slugify.js',
        "export function slugify(text) {\n  return text.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');\n}\n",
      );
      write(
        'test/slugify.test.js',
        testFile(
          'slugify',
          "import { slugify } from '../src/slugify.js';",
          "  assert.equal(slugify(' Hello, World! '), 'hello-world');",
        ),
      );
    },
  },
  case: {
    ms: 700,
    run: () => {
      write(
        'src/case.js',
        "export const capitalize = (text) => text.charAt(0).toUpperCase() + text.slice(1);\nexport const titleCase = (text) => text.split(' ').map(capitalize).join(' ');\n",
      );
      write(
        'test/case.test.js',
        testFile(
          'case',
          "import { capitalize, titleCase } from '../src/case.js';",
          "  assert.equal(capitalize('cairn'), 'Cairn');\n  assert.equal(titleCase('many small stones'), 'Many Small Stones');",
        ),
      );
    },
  },
  wordcount: {
    ms: 500,
    run: () => {
      write(
        'src/count.js',
        "export function countWords(text) {\n  return text.trim() === '' ? 0 : text.trim().split(/\\s+/).length;\n}\n",
      );
      write(
        'test/count.test.js',
        testFile(
          'countWords',
          "import { countWords } from '../src/count.js';",
          "  assert.equal(countWords('one two  three'), 3);\n  assert.equal(countWords('   '), 0);",
        ),
      );
    },
  },
  truncate: {
    ms: 800,
    run: () => {
      write(
        'src/truncate.js',
        `import { countWords } from './count.js';\n\nexport function truncate(text, words) {\n${truncateBody}\n}\n`,
      );
      write(
        'test/truncate.test.js',
        testFile(
          'truncate',
          "import { truncate } from '../src/truncate.js';",
          "  assert.equal(truncate('a b c d', 2), 'a b…');\n  assert.equal(truncate('a b', 5), 'a b');",
        ),
      );
    },
  },
  'export-strings': {
    ms: 1200,
    run: () => {
      replaceLine('src/index.js', '// (string exports go here)', [
        "export { slugify } from './slugify.js';",
        "export { capitalize, titleCase } from './case.js';",
      ]);
      write(
        'test/exports-strings.test.js',
        testFile(
          'string exports',
          "import * as textkit from '../src/index.js';",
          "  assert.equal(typeof textkit.slugify, 'function');\n  assert.equal(typeof textkit.titleCase, 'function');",
        ),
      );
    },
  },
  'export-counting': {
    ms: 1200,
    run: () => {
      replaceLine('src/index.js', '// (counting exports go here)', [
        "export { countWords } from './count.js';",
      ]);
      write(
        'test/exports-counting.test.js',
        testFile(
          'counting exports',
          "import * as textkit from '../src/index.js';",
          "  assert.equal(textkit.countWords('a b'), 2);",
        ),
      );
    },
  },
  cli: {
    ms: 900,
    run: () => {
      write(
        'bin/textkit.js',
        "#!/usr/bin/env node\nimport * as textkit from '../src/index.js';\nimport { truncate } from '../src/truncate.js';\n\nconst helpers = { ...textkit, truncate: (text) => truncate(text, 5) };\nconst [name, ...words] = process.argv.slice(2);\nconst helper = helpers[name];\nif (typeof helper !== 'function') {\n  console.error(`usage: textkit <${Object.keys(helpers).filter((k) => typeof helpers[k] === 'function').join('|')}> <text>`);\n  process.exit(2);\n}\nconsole.log(String(helper(words.join(' '))));\n",
      );
      write(
        'test/cli.test.js',
        testFile(
          'cli',
          "import { execFileSync } from 'node:child_process';",
          "  const out = execFileSync(process.execPath, ['bin/textkit.js', 'slugify', 'Hello World']).toString();\n  assert.equal(out.trim(), 'hello-world');",
        ),
      );
    },
  },
  docs: {
    ms: 500,
    run: () => {
      replaceLine('README.md', '(to be written)', [
        '```js',
        "import { slugify, capitalize, titleCase, countWords } from 'textkit';",
        "slugify('Hello World'); // 'hello-world'",
        "titleCase('many small stones'); // 'Many Small Stones'",
        "countWords('one two three'); // 3",
        '```',
        '',
        'Command line: `node bin/textkit.js slugify "Hello World"`.',
      ]);
    },
  },
  changelog: {
    ms: 400,
    run: () => {
      write(
        'CHANGELOG.md',
        '# Changelog\n\n## 0.2.0\n\n- slugify, capitalize, titleCase, countWords, truncate\n- `textkit` command line\n- usage documentation\n',
      );
    },
  },
};

const job = work[task];
if (!job) {
  console.error(`demo agent: no script for task "${task}"`);
  process.exit(1);
}
console.log(`demo agent: working on ${task} (attempt ${attempt}) in ${process.cwd()}`);
setTimeout(() => {
  job.run();
  console.log(`demo agent: ${task} done`);
}, job.ms);
