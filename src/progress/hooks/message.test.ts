import { describe, expect, it } from 'vitest';
import { isEmptyMessage } from './message.js';

describe('isEmptyMessage', () => {
  it.each([
    '',
    '\n\n',
    '# Please enter the commit message\n#\n# On branch x\n',
    '\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n+text\n',
  ])('%j is empty', (text) => {
    expect(isEmptyMessage(text)).toBe(true);
  });

  it.each([
    'fix\n',
    '\n  fix  \n# comment\n',
    'fix\n# ------------------------ >8 ------------------------\n',
  ])('%j is not empty', (text) => {
    expect(isEmptyMessage(text)).toBe(false);
  });

  it('uses core.commentChar', () => {
    expect(isEmptyMessage('; a comment\n', ';')).toBe(true);
    expect(isEmptyMessage('# a heading\n', ';')).toBe(false);
    expect(isEmptyMessage('; a\n', 'auto')).toBe(true);
    expect(isEmptyMessage('fix\n; a\n', 'auto')).toBe(false);
  });
});
