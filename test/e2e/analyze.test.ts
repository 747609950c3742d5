import type Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/progress/analyze/types.js';
import { generateHistory, initRepository, type HistoryManifest } from './git-history-generator.js';
import { cairn, cleanupTemp, git, tempDir, writeFiles } from './helpers.js';

afterAll(cleanupTemp);

async function analyze(cwd: string, args: string[] = [], home = tempDir('cairn-analyze-home-')) {
  const result = await cairn(cwd, ['analyze', '--json', ...args], { CAIRN_HOME: home });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Analysis;
}

/** Figures from plain git, to check the analysis against. */
function gitFigures(cwd: string, range = 'HEAD') {
  const count = (...args: string[]) => Number(git(cwd, ['rev-list', '--count', ...args, range]));
  const numstat = git(cwd, ['log', '--numstat', '-M', '--no-merges', '--format=', range])
    .split('\n')
    .filter((line) => line !== '');
  let added = 0;
  let deleted = 0;
  let binary = 0;
  for (const line of numstat) {
    const [a = '', d = ''] = line.split('\t');
    if (a === '-') binary += 1;
    else {
      added += Number(a);
      deleted += Number(d);
    }
  }
  const authors: Record<string, number> = {};
  for (const name of git(cwd, ['log', '--format=%an', range]).split('\n')) {
    authors[name] = (authors[name] ?? 0) + 1;
  }
  return {
    commits: count(),
    merges: count('--min-parents=2'),
    churn: { files: numstat.length, added, deleted, binary },
    authors,
  };
}

const withoutCache = ({ cache: _cache, ...rest }: Analysis) => rest;
const groupCounts = (a: Analysis) => Object.fromEntries(a.groups.map((g) => [g.key, g.commits]));

function commitFile(cwd: string, file: string, text: string, message: string): void {
  writeFiles(cwd, { [file]: text });
  git(cwd, ['add', '--', file]);
  git(cwd, ['commit', '--quiet', '-m', message]);
}

describe('cairn analyze on a generated history', () => {
  let repo: string;
  let manifest: HistoryManifest;

  beforeAll(async () => {
    repo = tempDir('cairn-analyze-');
    initRepository(repo);
    manifest = await generateHistory(repo, { commits: 240, seed: 42, mergeEvery: 8, largeCommitFiles: 1200 });
  });

  it('counts commits, merges, authors and churn as plain git does, with every type', async () => {
    const home = tempDir('cairn-analyze-home-');
    const byAuthor = await analyze(repo, ['--by', 'author'], home);
    const expected = gitFigures(repo);
    expect(byAuthor.commits).toBe(expected.commits);
    expect(byAuthor.commits).toBe(manifest.commits);
    expect(byAuthor.merges).toBe(expected.merges);
    expect(byAuthor.merges).toBe(manifest.merges);
    expect(byAuthor.churn).toEqual(expected.churn);
    expect(byAuthor.authors).toBe(Object.keys(expected.authors).length);
    expect(groupCounts(byAuthor)).toEqual(expected.authors);
    expect(byAuthor.types).toEqual(manifest.types);
    expect(byAuthor.frequency.clock_skew).toBe(manifest.skewed);
    expect(byAuthor.cache).toEqual({ enabled: true, hits: 0, parsed: manifest.commits, rebuilt: false });

    const kinds = Object.values(byAuthor.kinds);
    expect(kinds.reduce((sum, k) => sum + k.added, 0)).toBe(expected.churn.added);
    expect(kinds.reduce((sum, k) => sum + k.files, 0)).toBe(expected.churn.files);
    expect(byAuthor.kinds.docs.files).toBeGreaterThan(0);

    // The second run reads every commit from the cache and finds the same figures.
    const again = await analyze(repo, ['--by', 'author'], home);
    expect(again.cache).toEqual({ enabled: true, hits: manifest.commits, parsed: 0, rebuilt: false });
    expect(withoutCache(again)).toEqual(withoutCache(byAuthor));
  });

  it('groups by agent and by milestone with task counts and a frequency pattern each', async () => {
    const home = tempDir('cairn-analyze-home-');
    const byAgent = await analyze(repo, ['--by', 'agent'], home);
    const agents = groupCounts(byAgent);
    const none = agents['(none)'];
    delete agents['(none)'];
    expect(agents).toEqual(manifest.agents);
    expect(none).toBe(manifest.commits - Object.values(manifest.agents).reduce((a, b) => a + b, 0));

    const byMilestone = await analyze(repo, ['--by', 'milestone'], home);
    for (const [id, figures] of Object.entries(manifest.milestones)) {
      const group = byMilestone.groups.find((g) => g.key === id);
      expect(group).toMatchObject({ commits: figures.commits, tasks: figures.tasks });
      expect(['steady', 'burst', 'sparse']).toContain(group?.frequency.pattern);
    }
    for (const group of [...byAgent.groups, ...byMilestone.groups]) {
      for (const value of [group.frequency.cv, group.frequency.mean_gap_hours]) {
        if (value !== null) expect(value).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('groups by kind and by type, and takes a range and --since', async () => {
    const byKind = await analyze(repo, ['--by', 'kind']);
    expect(byKind.groups.map((g) => g.key).sort()).toEqual(['code', 'config', 'docs', 'test']);
    for (const group of byKind.groups) {
      const kind = byKind.kinds[group.key as keyof Analysis['kinds']];
      expect({ files: group.files, added: group.added, deleted: group.deleted }).toEqual(kind);
    }

    const range = 'HEAD~30..HEAD';
    const ranged = await analyze(repo, [range]);
    const expected = gitFigures(repo, range);
    expect(ranged).toMatchObject({
      range,
      commits: expected.commits,
      merges: expected.merges,
      churn: expected.churn,
    });

    // The generated history is in 2020–2021: nothing since 2030, everything since 2000.
    expect((await analyze(repo, ['--since', '2030-01-01'])).commits).toBe(0);
    expect((await analyze(repo, ['--since', '2000-01-01'])).commits).toBe(manifest.commits);
  });

  it('prints a summary and a table for people', async () => {
    const result = await cairn(repo, ['analyze', '--by', 'milestone'], {
      CAIRN_HOME: tempDir('cairn-analyze-home-'),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${manifest.commits} commits (${manifest.merges} merges)`);
    expect(result.stdout).toMatch(/frequency: (steady|burst|sparse)/);
    expect(result.stdout).toMatch(/MILESTONE\s+COMMITS\s+TASKS/);
  });

  it('rebuilds a damaged cache, says so once, and finds the same figures', async () => {
    const home = tempDir('cairn-analyze-home-');
    const first = await analyze(repo, [], home);
    const file = path.join(home, 'analyze-cache.db');
    expect(existsSync(file)).toBe(true);
    writeFileSync(file, 'this is not a database, just garbage '.repeat(200));
    const damaged = await cairn(repo, ['analyze', '--json'], { CAIRN_HOME: home });
    expect(damaged.code).toBe(0);
    expect(damaged.stderr.trim().split('\n')).toEqual(['warning: analyze cache was damaged; rebuilt']);
    const rebuilt = JSON.parse(damaged.stdout) as Analysis;
    expect(rebuilt.cache).toMatchObject({ rebuilt: true, hits: 0, parsed: manifest.commits });
    expect(withoutCache(rebuilt)).toEqual(withoutCache(first));
    const after = await analyze(repo, [], home);
    expect(after.cache).toMatchObject({ rebuilt: false, hits: manifest.commits, parsed: 0 });

    // A sound database whose records do not decode is damage found late: the run starts over.
    const db = new (createRequire(import.meta.url)('better-sqlite3') as typeof Database)(file);
    db.prepare("UPDATE chunks SET data = '[[\"not a record'").run();
    db.close();
    const late = await cairn(repo, ['analyze', '--json'], { CAIRN_HOME: home });
    expect(late.code).toBe(0);
    expect(late.stderr.trim().split('\n')).toEqual(['warning: analyze cache was damaged; rebuilt']);
    expect(withoutCache(JSON.parse(late.stdout) as Analysis)).toEqual(withoutCache(first));
  });

  it('reads a shallow clone, and does not cache the commits whose parents were cut', async () => {
    const clone = tempDir('cairn-analyze-shallow-');
    execFileSync('git', ['clone', '--quiet', '--depth', '5', `file://${repo}`, clone], { stdio: 'ignore' });
    const home = tempDir('cairn-analyze-home-');
    const first = await analyze(clone, [], home);
    const expected = gitFigures(clone);
    expect(first).toMatchObject({ shallow: true, commits: expected.commits, churn: expected.churn });
    const cut = readFileSync(path.join(clone, '.git', 'shallow'), 'utf8')
      .trim()
      .split('\n');
    expect(cut.length).toBeGreaterThan(0);
    const second = await analyze(clone, [], home);
    expect(second.cache.parsed).toBe(cut.length);
    expect(withoutCache(second)).toEqual(withoutCache(first));

    // Deepening keeps the tips but adds commits under them: the remembered range must not hold.
    git(clone, ['fetch', '--quiet', '--deepen', '10']);
    const deeper = await analyze(clone, [], home);
    expect(deeper.commits).toBe(gitFigures(clone).commits);
    expect(deeper.commits).toBeGreaterThan(first.commits);
    expect(deeper.churn).toEqual(gitFigures(clone).churn);
  });
});

describe('cairn analyze, incrementally', () => {
  it('parses only the new commits, and finds what a run without a cache finds', async () => {
    const repo = tempDir('cairn-analyze-inc-');
    initRepository(repo);
    const manifest = await generateHistory(repo, { commits: 120, seed: 7 });
    git(repo, ['reset', '--quiet', '--hard']);
    const home = tempDir('cairn-analyze-home-');
    expect((await analyze(repo, [], home)).cache.parsed).toBe(manifest.commits);

    commitFile(repo, 'src/new.ts', 'export const x = 1;\n', 'feat: a new module');
    commitFile(repo, 'docs/new.md', '# new\n\ntext\n', 'update docs');
    git(repo, ['checkout', '--quiet', '-b', 'topic']);
    commitFile(repo, 'test/new.test.ts', 'test\n', 'add tests for x\n\nMilestone: 009\nTask: t1');
    git(repo, ['checkout', '--quiet', 'main']);
    git(repo, ['merge', '--quiet', '--no-ff', '--no-edit', 'topic']);

    const warm = await analyze(repo, ['--by', 'milestone'], home);
    expect(warm.cache).toMatchObject({ hits: manifest.commits, parsed: 4 });
    const cold = await analyze(repo, ['--by', 'milestone']);
    expect(cold.cache).toMatchObject({ hits: 0, parsed: manifest.commits + 4 });
    expect(withoutCache(warm)).toEqual(withoutCache(cold));
    expect(warm.types.feat).toBe((manifest.types.feat ?? 0) + 1);
    expect(warm.groups.find((g) => g.key === '009')).toMatchObject({ commits: 1, tasks: 1 });

    // A rewritten tip: the old records stay valid (keyed by hash); only the new commit is parsed.
    git(repo, ['reset', '--quiet', '--hard', 'HEAD~1']);
    git(repo, ['commit', '--quiet', '--amend', '-m', 'docs: rewritten']);
    const rewritten = await analyze(repo, [], home);
    expect(rewritten.cache).toMatchObject({ parsed: 1 });
    expect(withoutCache(rewritten)).toEqual(withoutCache(await analyze(repo)));
  });
});

describe('cairn analyze, bad and unusual input', () => {
  it('says "no commits yet" in an empty repository (exit 0, empty figures)', async () => {
    const repo = tempDir('cairn-analyze-empty-');
    initRepository(repo);
    const text = await cairn(repo, ['analyze'], { CAIRN_HOME: tempDir() });
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toContain('No commits yet');
    const json = await analyze(repo);
    expect(json).toMatchObject({ commits: 0, merges: 0, authors: 0, note: 'no commits yet', groups: [] });
  });

  it('refuses a range that does not resolve, or looks like an option (exit 2, with a hint)', async () => {
    const repo = tempDir('cairn-analyze-bad-');
    initRepository(repo);
    commitFile(repo, 'a.txt', 'a\n', 'initial commit');
    for (const range of ['no-such-branch', 'HEAD~5..HEAD', 'main..nope']) {
      const result = await cairn(repo, ['analyze', range], { CAIRN_HOME: tempDir() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`the range "${range}" does not resolve`);
      expect(result.stderr).toContain('hint:');
      expect(result.stderr).not.toContain('    at ');
    }
    const option = await cairn(repo, ['analyze', '--', '--output=x'], { CAIRN_HOME: tempDir() });
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('is not a revision range');
    const since = await cairn(repo, ['analyze', '--since=-1'], { CAIRN_HOME: tempDir() });
    expect(since.code).toBe(2);
    expect((await cairn(repo, ['analyze', '--by', 'colour'])).code).toBe(2);
  });

  it('works without a cache when the state directory cannot be created, and says so', async () => {
    const repo = tempDir('cairn-analyze-nocache-');
    initRepository(repo);
    commitFile(repo, 'a.txt', 'a\n', 'initial commit');
    const blocker = path.join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a directory\n');
    const result = await cairn(repo, ['analyze', '--json'], { CAIRN_HOME: path.join(blocker, 'state') });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: analyze cache unavailable \(.*\); reading the whole history\n$/);
    expect(JSON.parse(result.stdout)).toMatchObject({ commits: 1, cache: { enabled: false, parsed: 1 } });
  });

  it('refuses a directory that is not in a git repository (exit 2)', async () => {
    const dir = tempDir('cairn-analyze-norepo-');
    const result = await cairn(dir, ['analyze'], { GIT_CEILING_DIRECTORIES: path.dirname(dir) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not inside a git repository');
  });
});

describe("cairn analyze on this project's own history", () => {
  it('gives sane figures (the checkout may be shallow)', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const a = await analyze(root);
    expect(a.commits).toBeGreaterThanOrEqual(1);
    expect(Object.values(a.types).reduce((x, y) => x + y, 0)).toBe(a.commits);
    expect(Object.values(a.classified).reduce((x, y) => x + y, 0)).toBe(a.commits);
    for (const value of [a.merges, a.authors, a.churn.added, a.churn.deleted, a.churn.files]) {
      expect(value).toBeGreaterThanOrEqual(0);
    }
    expect(a.groups.reduce((sum, g) => sum + g.commits, 0)).toBe(a.commits);
    expect(Number.isNaN(a.frequency.cv ?? 0)).toBe(false);
  });
});
