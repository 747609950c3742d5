import { describe, expect, it } from 'vitest';
import { extractYamlBlock, pickDraft } from './spec-draft-extract.js';

const spec = 'id: "001"\ntitle: Sign in\ntasks:\n  - id: login\n    title: Login\n';

describe('extractYamlBlock', () => {
  it('takes the last ```yaml block, so a corrected version printed after a first one wins', () => {
    const output = `Here is a first try:\n\`\`\`yaml\nid: "old"\n\`\`\`\nAnd the final one:\n\`\`\`yaml\n${spec}\`\`\`\nDone.\n`;
    expect(extractYamlBlock(output)).toBe(spec);
  });

  it('accepts yml, tildes, longer fences, CRLF and colour codes', () => {
    expect(extractYamlBlock(`~~~yml\n${spec}~~~\n`)).toBe(spec);
    expect(extractYamlBlock(`\`\`\`\`YAML\n${spec}\`\`\`\`\n`)).toBe(spec);
    expect(extractYamlBlock(`\x1b[1m\`\`\`yaml\x1b[0m\r\n${spec.replace(/\n/g, '\r\n')}\`\`\`\r\n`)).toBe(
      spec,
    );
  });

  it('keeps a shorter fence inside a longer one as content', () => {
    const inner = 'id: "001"\ntitle: x\ntasks:\n  - id: a\n    prompt: |\n      ```\n      code\n      ```\n';
    expect(extractYamlBlock(`\`\`\`\`yaml\n${inner}\`\`\`\`\n`)).toBe(inner);
  });

  it('falls back to an untagged block only when it looks like a spec', () => {
    expect(extractYamlBlock(`\`\`\`\n${spec}\`\`\`\n`)).toBe(spec);
    expect(extractYamlBlock('```\nnpm test\n```\n')).toBeUndefined();
    expect(extractYamlBlock('```sh\nid: x\ntasks: []\n```\n')).toBeUndefined();
  });

  it('finds nothing in prose, in an unclosed fence or in an empty block', () => {
    expect(extractYamlBlock('I could not do it.\n')).toBeUndefined();
    expect(extractYamlBlock(`\`\`\`yaml\n${spec}`)).toBeUndefined();
    expect(extractYamlBlock('```yaml\n\n```\n')).toBeUndefined();
  });
});

describe('pickDraft', () => {
  it('prefers the file the agent wrote over its output', () => {
    expect(pickDraft(spec, '```yaml\nid: "other"\n```\n')).toEqual({ yaml: spec, source: 'file' });
  });

  it('unwraps a fenced block written into the file', () => {
    expect(pickDraft(`\`\`\`yaml\n${spec}\`\`\`\n`, '')).toEqual({ yaml: spec, source: 'file' });
  });

  it('falls back to the output when the file is missing or blank', () => {
    const output = `\`\`\`yaml\n${spec}\`\`\`\n`;
    expect(pickDraft(undefined, output)).toEqual({ yaml: spec, source: 'output' });
    expect(pickDraft(' \n', output)).toEqual({ yaml: spec, source: 'output' });
    expect(pickDraft(undefined, 'nothing to see')).toBeUndefined();
  });
});
