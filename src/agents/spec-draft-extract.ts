/** Where a draft spec came from: the file the prompt named, or a fenced block in the agent's output. */
export type DraftSource = 'file' | 'output';

interface Block {
  info: string;
  text: string;
}

const OPEN = /^[ \t]*(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*$/;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

function fencedBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.replace(ANSI, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i] ?? '');
    if (!open) continue;
    const marker = open[1] ?? '```';
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !isClose(lines[j] ?? '', marker)) body.push(lines[j++] ?? '');
    if (j === lines.length) break; // an unclosed fence is not a block
    blocks.push({ info: (open[2] ?? '').toLowerCase(), text: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
}

function isClose(line: string, marker: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= marker.length && trimmed === (marker[0] ?? '`').repeat(trimmed.length);
}

const looksLikeSpec = (text: string) => /^id:/m.test(text) && /^tasks:/m.test(text);

/**
 * The YAML of the last ```yaml (or ```yml) block in an agent's output; failing that, the last
 * untagged block that looks like a spec (top-level `id:` and `tasks:`).
 */
export function extractYamlBlock(output: string): string | undefined {
  const blocks = fencedBlocks(output);
  const tagged = blocks.filter((block) => block.info === 'yaml' || block.info === 'yml');
  const chosen = tagged.at(-1) ?? blocks.filter((b) => b.info === '' && looksLikeSpec(b.text)).at(-1);
  return chosen && chosen.text.trim() !== '' ? chosen.text : undefined;
}

/**
 * The draft an agent produced: the file it was asked to write (unwrapped if it wrote a fenced
 * block there), else a block in its output; undefined when it produced neither.
 */
export function pickDraft(
  fileText: string | undefined,
  output: string,
): { yaml: string; source: DraftSource } | undefined {
  if (fileText !== undefined && fileText.trim() !== '') {
    const inner = /^[ \t]*(```|~~~)/m.test(fileText) ? extractYamlBlock(fileText) : undefined;
    return { yaml: inner ?? fileText, source: 'file' };
  }
  const yaml = extractYamlBlock(output);
  return yaml === undefined ? undefined : { yaml, source: 'output' };
}
