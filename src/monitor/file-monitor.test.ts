import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFileMonitor, type ActivityBatch, type FileMonitor } from './file-monitor.js';
import { watcherIgnores } from './ignore-rules.js';

const dirs: string[] = [];
const monitors: FileMonitor[] = [];
afterEach(async () => {
  await Promise.all(monitors.splice(0).map((monitor) => monitor.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-monitor-'));
  dirs.push(dir);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

async function watch(dir: string, others = () => [{ task: 'db', files: ['db/**'] }]) {
  const batches: ActivityBatch[] = [];
  const monitor = await startFileMonitor({
    dir,
    own: { task: 'api', files: ['src/**'] },
    others,
    onBatch: (batch) => batches.push(batch),
    debounceMs: 50,
  });
  monitors.push(monitor);
  return { monitor, batches };
}

/** Waits until `check` holds; the machine may be busy, so the bound is generous. */
async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('file monitor', () => {
  it('batches changes, correlates them, and leaves out ignored files and folders', async () => {
    const dir = repo({ '.gitignore': 'dist/\n*.log\n!keep.log\n', 'src/a.ts': 'a\n' });
    const { monitor, batches } = await watch(dir);
    expect(monitor.lastChangeAt()).toBeUndefined();
    mkdirSync(path.join(dir, 'src/deep/er'), { recursive: true });
    mkdirSync(path.join(dir, 'dist'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules/pkg'), { recursive: true });
    writeFileSync(path.join(dir, 'src/a.ts'), 'changed\n');
    writeFileSync(path.join(dir, 'src/deep/er/b.test.ts'), 'test\n');
    writeFileSync(path.join(dir, 'dist/out.js'), 'built\n');
    writeFileSync(path.join(dir, 'node_modules/pkg/index.js'), 'dep\n');
    writeFileSync(path.join(dir, 'debug.log'), 'noise\n');
    writeFileSync(path.join(dir, 'keep.log'), 'kept: the negation re-includes it\n');
    writeFileSync(path.join(dir, 'schema.sql'), 'x\n');
    mkdirSync(path.join(dir, 'db'), { recursive: true });
    writeFileSync(path.join(dir, 'db/schema.sql'), 'create table\n');
    await until(() => new Set(batches.flatMap((b) => b.paths)).size >= 5);
    await monitor.stop();
    const seen = new Set(batches.flatMap((b) => b.paths));
    expect([...seen].sort()).toEqual([
      'db/schema.sql',
      'keep.log',
      'schema.sql',
      'src/a.ts',
      'src/deep/er/b.test.ts',
    ]);
    const outside = new Set(batches.flatMap((b) => b.correlation.outOfScope));
    expect(outside).toEqual(new Set(['db/schema.sql', 'keep.log', 'schema.sql']));
    const intrusions = batches.flatMap((b) => b.correlation.intrusions);
    expect(intrusions.flatMap((i) => i.paths)).toEqual(['db/schema.sql']);
    expect(intrusions.every((i) => i.task === 'db')).toBe(true);
    expect(monitor.lastChangeAt()).toBeGreaterThan(0);
    for (const batch of batches) expect(batch.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('notices a deletion', async () => {
    const dir = repo({ 'src/gone.ts': 'x\n' });
    const { monitor, batches } = await watch(dir);
    rmSync(path.join(dir, 'src/gone.ts'));
    await until(() => batches.some((b) => b.paths.includes('src/gone.ts')));
    await monitor.stop();
    expect(batches.flatMap((b) => b.correlation.outOfScope)).toEqual([]);
  });

  it('flushes what is pending when stopped', async () => {
    const dir = repo({});
    const batches: ActivityBatch[] = [];
    const monitor = await startFileMonitor({
      dir,
      own: { task: 't', files: [] },
      others: () => [],
      onBatch: (batch) => batches.push(batch),
      debounceMs: 60_000,
    });
    writeFileSync(path.join(dir, 'late.md'), 'x\n');
    await until(() => monitor.lastChangeAt() !== undefined);
    await monitor.stop();
    expect(batches.flatMap((b) => b.paths)).toEqual(['late.md']);
  });
});

describe('watcherIgnores', () => {
  it('skips git and dependencies always, and the plain names of .gitignore, as paths', () => {
    const dir = repo({ '.gitignore': '# build\ndist/\n/coverage\nlogs/*.log\nnode_modules\n../up\n' });
    expect(watcherIgnores(dir)).toEqual(['.git', 'node_modules', 'dist', 'coverage']);
  });

  it('leaves everything to git when a negation could re-include a path', () => {
    const dir = repo({ '.gitignore': 'dist/\n!dist/keep\n' });
    expect(watcherIgnores(dir)).toEqual(['.git', 'node_modules']);
  });
});
