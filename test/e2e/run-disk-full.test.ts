import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cairn, cleanupTemp, type CliResult } from './helpers.js';
import { mergeCommits, setupScenario } from './scenarios.js';

afterAll(cleanupTemp);

/** `cairn <args>` with files limited to `kib` KiB (RLIMIT_FSIZE): a disk that fills up mid-run. */
function cairnWithFileLimit(cwd: string, args: string[], kib: number): Promise<CliResult> {
  // SIGXFSZ ignored, so a write past the limit fails with EFBIG, as on a full disk, instead of killing.
  const script = `trap '' XFSZ; ulimit -f ${kib}; exec "$@"`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, 'cairn', process.execPath, CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('cairn run: the disk fills up while journaling', () => {
  it('stops with a clear error and no corruption, and the next run finishes each task exactly once', async () => {
    const tasks = Array.from({ length: 24 }, (_, i) => ({ id: `t${String(i + 1).padStart(2, '0')}` }));
    const s = setupScenario({
      spec: { title: 'Full disk', tasks },
      agentBody: 'echo "$CAIRN_TASK" > "$CAIRN_TASK.txt"',
    });

    const full = await cairnWithFileLimit(s.root, ['run', '001'], 256);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(
      /error: cannot write the state journal .*state\.db: the disk is full or a file size limit was reached \(SQLITE_(FULL|IOERR\w*)\)/,
    );
    expect(full.stderr).toMatch(/hint: Free disk space/);
    expect(full.stderr).not.toMatch(/^\s+at /m); // no stack trace

    const db = new Database(path.join(s.root, '.git', 'cairn', 'state.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const doctor = await cairn(s.root, ['doctor', '--json']);
    const findings = (
      JSON.parse(doctor.stdout) as { findings: { check: string; status: string; message: string }[] }
    ).findings;
    expect(findings.filter((f) => f.check === 'database').every((f) => f.status === 'ok')).toBe(true);
    // A merge git made just before the journal's write failed is not lost: the journal is behind
    // git, which the next run reconciles (git is the second source of truth). Nothing worse.
    for (const finding of findings.filter((f) => f.check === 'journal' && f.status !== 'ok')) {
      expect(finding).toMatchObject({
        status: 'warn',
        message: expect.stringContaining('behind git') as string,
      });
    }

    const again = await cairn(s.root, ['run', '001']);
    expect(again.code, `${again.stderr.slice(-1500)}${again.stdout}`).toBe(0);
    const merged = mergeCommits(s.root, 'milestone/001-full-disk').map((m) => m.task);
    expect([...merged].sort()).toEqual(tasks.map((t) => t.id));
  });
});
