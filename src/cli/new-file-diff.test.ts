import { describe, expect, it } from 'vitest';
import { newFileDiff } from './new-file-diff.js';

describe('newFileDiff', () => {
  it('shows every line as added to a new file, as git diff does', () => {
    expect(newFileDiff('.milestones/001-a.yaml', 'id: "001"\ntitle: A\n')).toBe(
      '--- /dev/null\n+++ b/.milestones/001-a.yaml\n@@ -0,0 +1,2 @@\n+id: "001"\n+title: A\n',
    );
  });

  it('marks a missing final newline', () => {
    expect(newFileDiff('a.yaml', 'id: x')).toBe(
      '--- /dev/null\n+++ b/a.yaml\n@@ -0,0 +1,1 @@\n+id: x\n\\ No newline at end of file\n',
    );
  });
});
