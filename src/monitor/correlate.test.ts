import { describe, expect, it } from 'vitest';
import { KIND_WEIGHTS } from '../shared/file-kind.js';
import { correlate } from './correlate.js';

describe('correlate', () => {
  const own = { task: 'api', files: ['src/api/**', 'test/api/**'] };
  const others = [
    { task: 'api', files: ['src/api/**'] },
    { task: 'db', files: ['src/db/**'] },
    { task: 'anything', files: [] },
  ];

  it('weighs each distinct path by its kind', () => {
    const result = correlate(
      ['src/api/a.ts', 'src/api/a.ts', 'test/api/a.test.ts', 'src/api/README.md', 'src/api/conf.json'],
      own,
      [],
    );
    expect(result.files).toBe(4);
    expect(result.byKind).toEqual({ code: 1, test: 1, docs: 1, config: 1 });
    expect(result.significance).toBe(KIND_WEIGHTS.code + KIND_WEIGHTS.test + KIND_WEIGHTS.docs + 0.4);
    expect(result.outOfScope).toEqual([]);
    expect(result.intrusions).toEqual([]);
  });

  it('reports writes outside the scope, and those inside another running task scope', () => {
    const result = correlate(['src/api/x.ts', 'src/db/schema.ts', 'src/db/seed.ts', 'notes.md'], own, others);
    expect(result.outOfScope).toEqual(['src/db/schema.ts', 'src/db/seed.ts', 'notes.md']);
    // A task with no declared scope claims nothing; the task itself is never its own intruder.
    expect(result.intrusions).toEqual([{ task: 'db', paths: ['src/db/schema.ts', 'src/db/seed.ts'] }]);
  });

  it('puts no limit on a task without a scope, yet still tells others it writes in theirs', () => {
    const result = correlate(['src/db/schema.ts', 'x.ts'], { task: 'free', files: [] }, others);
    expect(result.outOfScope).toEqual([]);
    expect(result.intrusions).toEqual([{ task: 'db', paths: ['src/db/schema.ts'] }]);
  });
});
