import { describe, expect, it } from 'vitest';
import { createLogParser, type RawCommit } from './log-parser.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

/** One commit as `git log -z --numstat --format=LOG_FORMAT` prints it. */
function commit(fields: string[], numstat: (string | Buffer)[] = []): Buffer {
  const header = Buffer.from(`${fields.join('\0')}\0\0`, 'latin1');
  if (numstat.length === 0) return Buffer.concat([header, Buffer.from('\0')]);
  const body = numstat.map((entry) => Buffer.concat([Buffer.from(entry), Buffer.from('\0')]));
  return Buffer.concat([header, Buffer.from('\n'), ...body]);
}

function parse(stream: Buffer, chunkSize = stream.length): { commits: RawCommit[]; paths: string[] } {
  const commits: RawCommit[] = [];
  const paths: string[] = [];
  const parser = createLogParser(
    (c) => commits.push(c),
    (path) => {
      paths.push(path);
      return path.endsWith('.md') ? 'docs' : path.includes('test') ? 'test' : 'code';
    },
  );
  for (let at = 0; at < stream.length; at += chunkSize) parser.push(stream.subarray(at, at + chunkSize));
  parser.end();
  return { commits, paths };
}

const latin1Path = Buffer.concat([Buffer.from('src/caf'), Buffer.from([0xe9]), Buffer.from('.ts')]);

const stream = Buffer.concat([
  commit([A, `${B} ${C}`, 'Merge Bot', 'm@x', '1700000300', '1700000300', "Merge branch 'side'", '']),
  commit(
    [
      B,
      C,
      'Ann',
      'ann@x',
      '1700000200',
      '1700000250',
      'feat(api): rename',
      'Agent: coder (claude)\nTask: t1\n',
    ],
    [
      '3\t1\tsrc/a.ts',
      '2\t0\t',
      'old/name.ts',
      'src/test/new.ts',
      '-\t-\tlogo.png',
      Buffer.concat([Buffer.from('1\t1\t'), latin1Path]),
    ],
  ),
  commit([C, '', 'B\u00f6b', 'b@x', '1700000000', '1700000000', 'initial commit', ''], ['10\t0\tREADME.md']),
]);

describe('createLogParser', () => {
  it('reads headers, renames, binary files and non-UTF-8 paths', () => {
    const { commits, paths } = parse(stream);
    expect(commits.map((c) => [c.hash[0], c.parents, c.subject])).toEqual([
      ['a', 2, "Merge branch 'side'"],
      ['b', 1, 'feat(api): rename'],
      ['c', 0, 'initial commit'],
    ]);
    const feat = commits[1]!;
    expect(feat.author).toBe('Ann');
    expect(feat.authorTime).toBe(1700000200);
    expect(feat.commitTime).toBe(1700000250);
    expect(feat.trailers).toBe('Agent: coder (claude)\nTask: t1\n');
    // code: a.ts, logo.png (binary, no lines), café.ts; test: the renamed file under its new name.
    expect(feat.stats).toEqual([3, 4, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0]);
    expect(feat.binary).toBe(1);
    expect(paths).toContain('src/test/new.ts');
    expect(paths).not.toContain('old/name.ts');
    expect(paths).toContain('src/caf\u00e9.ts');
    expect(commits[0]!.stats.every((n) => n === 0)).toBe(true);
    expect(commits[2]!.stats.slice(6, 9)).toEqual([1, 10, 0]);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    const whole = parse(stream).commits;
    for (const size of [1, 2, 3, 7, 41, 64]) expect(parse(stream, size).commits).toEqual(whole);
  });

  it('decodes invalid UTF-8 in names and subjects with replacement characters', () => {
    const bad = Buffer.concat([
      Buffer.from(`${C}\0\0Jos`),
      Buffer.from([0xe9]),
      Buffer.from('\0j@x\x001\x001\0fix: caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('\0\0\0'),
    ]);
    const [only] = parse(bad).commits;
    expect(only?.author).toBe('Jos\ufffd');
    expect(only?.subject).toBe('fix: caf\ufffd\ufffd');
  });

  it('takes a file named like a hash, or like numstat, for a path after a rename', () => {
    const tricky = commit([A, '', 'x', 'x@x', '1', '1', 's', ''], ['1\t1\t', '1\t2\tx', B]);
    const { commits, paths } = parse(tricky);
    expect(commits).toHaveLength(1);
    expect(paths).toEqual([B]);
  });

  it('handles an empty stream', () => {
    expect(parse(Buffer.alloc(0)).commits).toEqual([]);
  });
});
