import { describe, expect, it } from 'vitest';
import { MAX_REVIEW_CHARS, readVerdict } from './review-verdict.js';

describe('readVerdict', () => {
  it('reads the review file first: its verdict line, and the rest as the review', () => {
    const file = '# Review\nREVIEW: reject\n- add tests for the empty case\n- rename x\n';
    expect(readVerdict(file, 'REVIEW: approve')).toEqual({
      approved: false,
      clear: true,
      text: '# Review\n- add tests for the empty case\n- rename x',
    });
    expect(readVerdict('REVIEW: approve\n', '')).toEqual({ approved: true, clear: true, text: '' });
  });

  it('falls back to the last verdict line of the output, with its reason', () => {
    const output =
      'looking…\nREVIEW: approve would be nice but\nREVIEW: reject: the parser drops the last line\n';
    expect(readVerdict(undefined, output)).toEqual({
      approved: false,
      clear: true,
      text: 'the parser drops the last line',
    });
    expect(readVerdict('no verdict in here', '**Review: Approved**')).toMatchObject({
      approved: true,
      clear: true,
    });
    expect(readVerdict(undefined, '  - review: rejected — missing docs')).toMatchObject({
      approved: false,
      text: 'missing docs',
    });
  });

  it('skips output lines that echo the prompt', () => {
    const prompt =
      'Earlier review:\n```\nREVIEW: reject x\n```\n`REVIEW: approve` or `REVIEW: reject` go last.';
    const echo = `${prompt}\nthinking…\n`;
    expect(readVerdict(undefined, echo, prompt).clear).toBe(false);
    expect(readVerdict(undefined, `${echo}REVIEW: reject y\n`, prompt)).toMatchObject({
      approved: false,
      text: 'y',
    });
  });

  it('treats no verdict as an unclear rejection that quotes what the reviewer said', () => {
    const unclear = readVerdict(undefined, 'I think it is mostly fine.\n');
    expect(unclear.approved).toBe(false);
    expect(unclear.clear).toBe(false);
    expect(unclear.text).toContain('the review gave no verdict');
    expect(unclear.text).toContain('I think it is mostly fine.');
    expect(readVerdict(undefined, 'REVIEWED: approve').clear).toBe(false);
  });

  it('bounds the review text', () => {
    const long = `REVIEW: reject\n${'x'.repeat(MAX_REVIEW_CHARS * 2)}`;
    expect(readVerdict(long, '').text.length).toBe(MAX_REVIEW_CHARS + 1);
  });
});
