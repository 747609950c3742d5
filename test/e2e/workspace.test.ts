import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, git, tempDir, writeFiles, type CliResult } from './helpers.js';
import { invocations, setupScenario, startCairn, statusJson, taskOf, waitFor } from './scenarios.js';
import { cloneSupported } from '../../src/engine/workspace/clone-tree.js';

afterAll(cleanupTemp);

/**
 * The setup every test uses: counts its runs (with the ports it saw) in the state dir, fails
 * when `fail-setup` is there, and "installs" node_modules/marker holding the lock file's checksum.
 */
const SETUP_SH = `set -e
echo "$CAIRN_TASK port=\${CAIRN_PORT_BASE:-none}" >> "$CAIRN_HOME/setup-runs.log"
if [ -f "$CAIRN_HOME/fail-setup" ]; then echo "fetching packages"; echo "setup-boom: cannot install"; exit 7; fi
mkdir -p node_modules/pkg
cksum < package-lock.json | cut -d' ' -f1 > node_modules/marker
echo "module.exports = 1" > node_modules/pkg/index.js
`;

/** Records what each agent saw, then does its task's part (see each describe). */
const AGENT_BODY = `
if [ -f node_modules/marker ]; then cat node_modules/marker > "$SCRATCH/$1.marker"; else echo none > "$SCRATCH/$1.marker"; fi
if [ -f .env ]; then cp .env "$SCRATCH/$1.env"; fi
echo "\${CAIRN_PORT_BASE:-none} \${CAIRN_PORT_COUNT:-none}" > "$SCRATCH/$1.ports"
case "$1" in
  tamper) echo tampered >> node_modules/marker ;;
  bump) echo '{"lockfileVersion": 3, "bump": 1}' > package-lock.json ;;
  wipe) rm -rf "$CAIRN_HOME/cache" ;;
  corrupt*) for f in "$CAIRN_HOME"/cache/*/manifest.json; do echo garbage > "$f"; done ;;
  pause) if [ ! -f "$SCRATCH/paused" ]; then touch "$SCRATCH/paused"; sleep 30; fi ;;
  p|q)
    touch "$SCRATCH/$1.started"; n=0
    while [ ! -f "$SCRATCH/p.started" ] || [ ! -f "$SCRATCH/q.started" ]; do n=$((n+1)); [ $n -gt 50 ] && break; sleep 0.1; done
    if [ $n -le 50 ]; then touch "$SCRATCH/$1.met"; fi ;;
  slow*) sleep 1 ;;
esac
echo "$1" > "$1.txt"
`;

const FILES = {
  'README.md': '# workspace test\n',
  '.gitignore': 'node_modules/\n.env\nconfig/local.json\n',
  'package-lock.json': '{"lockfileVersion": 3}\n',
  'setup.sh': SETUP_SH,
  '.env': 'SECRET=main-worktree\n',
};

const randomPortBase = () => 42_000 + Math.floor(Math.random() * 900) * 20;

function workspaceConfig(lines: string[]): string {
  return `workspace:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}

const standard = (extra: string[] = [], link?: boolean) =>
  workspaceConfig([
    'setup: ["sh setup.sh"]',
    `cache: [{ path: node_modules, key: [package-lock.json]${link === undefined ? '' : `, link: ${String(link)}`} }]`,
    'copy: [".env"]',
    ...extra,
  ]);

function chain(ids: string[]) {
  return ids.map((id, i) => ({ id, ...(i > 0 ? { depends_on: [ids[i - 1]!] } : {}) }));
}

function setupRuns(root: string): string[] {
  const file = path.join(root, '.git', 'cairn', 'setup-runs.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8').trim();

async function run(root: string, args: string[], code: number): Promise<CliResult> {
  const result = await cairn(root, args);
  if (result.code !== code) {
    throw new Error(
      `cairn ${args.join(' ')} exited ${result.code}, expected ${code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('workspace: setup, cache and copied files', () => {
  const scenario = setupScenario({
    spec: {
      title: 'Setup cache',
      tasks: [
        ...chain(['tamper', 'hit', 'bump', 'after-bump']),
        {
          id: 'checked',
          depends_on: ['after-bump'],
          acceptance: ['test -f node_modules/marker', 'test -n "$CAIRN_PORT_BASE"'],
        },
      ],
    },
    agentBody: AGENT_BODY,
    files: FILES,
    // Copies, never links: what this describe checks holds on every filesystem.
    configExtra: standard([`ports: { count: 10, base: ${randomPortBase()} }`], false),
  });
  const { root, scratch } = scenario;
  let result: CliResult;

  it('runs setup once, then restores later worktrees with the same key from the cache', async () => {
    result = await run(root, ['run', '001'], 0);
    const runs = setupRuns(root);
    // tamper (first), after-bump (package-lock.json changed by bump): 2 runs for 5 worktrees.
    expect(runs.map((line) => line.split(' ')[0])).toEqual(['tamper', 'after-bump']);
    expect(count(result.stderr, 'restored from the cache')).toBe(3);
    expect(result.stderr).toContain('tamper: setup ran in');
  });

  it('gives each worktree its own copy: one agent changing it changes neither the cache nor another worktree', () => {
    const original = read(scratch, 'tamper.marker');
    expect(original).toMatch(/^\d+$/);
    expect(read(scratch, 'hit.marker')).toBe(original);
    const cached = readdirSync(path.join(root, '.git', 'cairn', 'cache')).filter(
      (name) => !name.startsWith('.'),
    );
    expect(cached).toHaveLength(2);
    const markers = cached.map((key) =>
      read(path.join(root, '.git', 'cairn', 'cache', key, 'data'), 'marker'),
    );
    expect(markers).toContain(original);
    expect(markers.join('\n')).not.toContain('tampered');
  });

  it('misses the cache when a key file changed, and hits again after', () => {
    expect(read(scratch, 'bump.marker')).toBe(read(scratch, 'tamper.marker'));
    expect(read(scratch, 'after-bump.marker')).not.toBe(read(scratch, 'tamper.marker'));
    expect(read(scratch, 'checked.marker')).toBe(read(scratch, 'after-bump.marker'));
  });

  it('copies the untracked files from the main worktree, never committing them', () => {
    expect(read(scratch, 'hit.env')).toBe('SECRET=main-worktree');
    const tree = git(root, ['ls-tree', '-r', '--name-only', 'milestone/001-setup-cache']);
    expect(tree).not.toContain('.env');
    expect(tree).not.toContain('node_modules');
  });

  it('exports disjoint-capable ports to setup, agent and acceptance, and logs setup as its own phase', () => {
    const [base, portCount] = read(scratch, 'checked.ports').split(' ');
    expect(Number(base)).toBeGreaterThanOrEqual(42_000);
    expect(portCount).toBe('10');
    expect(setupRuns(root)[0]).toMatch(/^tamper port=\d+$/);
    const logs = path.join(root, '.git', 'cairn', 'logs');
    const [runDir] = readdirSync(logs);
    const log = readFileSync(path.join(logs, runDir!, 'tamper.1.log'), 'utf8');
    expect(log).toContain('[cairn] setup: $ sh setup.sh');
    expect(log.indexOf('[cairn] setup: done in')).toBeLessThan(log.indexOf('[cairn] setup: cached'));
  });
});

describe('workspace: the default restore, a clone where the filesystem makes them, else hardlinks', () => {
  const scenario = setupScenario({
    spec: { title: 'Linked cache', tasks: chain(['tamper', 'hit']) },
    agentBody: AGENT_BODY,
    files: FILES,
    configExtra: standard(),
  });

  it('never hands on an entry an agent wrote in place: a linked one is rebuilt, and said', async () => {
    const result = await run(scenario.root, ['run', '001'], 0);
    const original = read(scenario.scratch, 'tamper.marker');
    expect(read(scenario.scratch, 'hit.marker')).toBe(original);
    const linked = !(await cloneSupported(path.join(scenario.root, '.git', 'cairn', 'cache')));
    if (linked) {
      // tamper's node_modules and the entry share their files: its in-place write reached the
      // entry, so hit finds the entry changed and runs setup itself.
      expect(setupRuns(scenario.root).map((line) => line.split(' ')[0])).toEqual(['tamper', 'hit']);
      expect(result.stderr).toMatch(
        /setup cache of node_modules was damaged \(a file in it changed after it was stored/,
      );
    } else {
      expect(setupRuns(scenario.root).map((line) => line.split(' ')[0])).toEqual(['tamper']);
      expect(count(result.stderr, 'restored from the cache')).toBe(1);
    }
  });
});

describe('workspace: a damaged or deleted cache', () => {
  const scenario = setupScenario({
    spec: { title: 'Damaged cache', tasks: chain(['wipe', 'corrupt-1', 'corrupt-2', 'last']) },
    agentBody: AGENT_BODY,
    files: FILES,
    configExtra: standard(),
  });

  it('is rebuilt, and said once per entry', async () => {
    const result = await run(scenario.root, ['run', '001'], 0);
    // wipe: first run; corrupt-1: its entry was deleted; corrupt-2 and last: damaged manifests.
    expect(setupRuns(scenario.root).map((line) => line.split(' ')[0])).toEqual([
      'wipe',
      'corrupt-1',
      'corrupt-2',
      'last',
    ]);
    expect(
      count(result.stderr, 'setup cache of node_modules was deleted during the run; rebuilding it'),
    ).toBe(1);
    expect(count(result.stderr, 'rebuilding it')).toBe(1);
    const last = read(scenario.scratch, 'last.marker');
    expect(last).toBe(read(scenario.scratch, 'wipe.marker'));
  });
});

describe('workspace: failing and interrupted setup', () => {
  it('fails the attempt with the tail of the setup log, without starting the agent', async () => {
    const scenario = setupScenario({
      spec: { title: 'Broken setup', tasks: [{ id: 'one' }] },
      agentBody: AGENT_BODY,
      files: FILES,
      configExtra: standard(),
    });
    mkdirSync(path.join(scenario.root, '.git', 'cairn'), { recursive: true });
    writeFileSync(path.join(scenario.root, '.git', 'cairn', 'fail-setup'), '');
    const result = await run(scenario.root, ['run', '001'], 1);
    const task = taskOf(await statusJson(scenario.root), 'one');
    expect(task.state).toBe('failed');
    expect(task.reason).toContain('setup `sh setup.sh` exited with status 7');
    expect(task.reason).toContain('log tail: fetching packages / setup-boom: cannot install');
    expect(invocations(scenario.marker).size).toBe(0);
    expect(result.stdout).toContain('setup-boom');
    expect(setupRuns(scenario.root)).toHaveLength(2); // retries: 1, each attempt in a fresh worktree
  });

  it('is stopped when it hangs past setup_timeout', async () => {
    const scenario = setupScenario({
      spec: { title: 'Hanging setup', tasks: [{ id: 'one', retries: 0 }] },
      agentBody: AGENT_BODY,
      files: FILES,
      configExtra: workspaceConfig([
        'setup: ["echo waiting for the network; sleep 30"]',
        'setup_timeout: 1s',
      ]),
    });
    await run(scenario.root, ['run', '001'], 1);
    const task = taskOf(await statusJson(scenario.root), 'one');
    expect(task.reason).toContain('timed out after 1s');
    expect(task.reason).toContain('log tail: waiting for the network');
    expect(invocations(scenario.marker).size).toBe(0);
  });

  it('is not run again when a resumed attempt reuses the worktree', async () => {
    const scenario = setupScenario({
      spec: { title: 'Resumed setup', tasks: [{ id: 'pause' }] },
      agentBody: AGENT_BODY,
      files: FILES,
      configExtra: standard(),
    });
    const first = startCairn(scenario.root, ['run', '001']);
    await waitFor('the agent to start', () => existsSync(path.join(scenario.scratch, 'paused')));
    process.kill(first.child.pid!, 'SIGINT');
    expect((await first.done).code).toBe(130);
    const result = await run(scenario.root, ['run', '001'], 0);
    expect(setupRuns(scenario.root)).toHaveLength(1);
    expect(invocations(scenario.marker).get('pause')).toBe(2);
    expect(result.stderr).not.toContain('setup ran');
  });
});

describe('workspace: ports', () => {
  it('gives concurrently running tasks disjoint ranges', async () => {
    const scenario = setupScenario({
      spec: {
        title: 'Ports',
        tasks: [
          { id: 'p', acceptance: ['test "$CAIRN_PORT_COUNT" = 5'] },
          { id: 'q', acceptance: ['test "$CAIRN_PORT_COUNT" = 5'] },
        ],
      },
      agentBody: AGENT_BODY,
      configExtra: workspaceConfig([`ports: { count: 5, base: ${randomPortBase()} }`]),
    });
    await run(scenario.root, ['run', '001', '--concurrency', '2'], 0);
    const ranges = ['p', 'q'].map((id) => read(scenario.scratch, `${id}.ports`).split(' ').map(Number));
    const a = ranges[0]?.[0] ?? 0;
    const b = ranges[1]?.[0] ?? 0;
    expect(ranges.every(([, n]) => n === 5)).toBe(true);
    // On a loaded machine the run may start one task at a time (degradation): then the second
    // task gets the block the first released.
    const together = ['p', 'q'].every((id) => existsSync(path.join(scenario.scratch, `${id}.met`)));
    if (together) expect(Math.abs(a - b)).toBeGreaterThanOrEqual(5);
    else expect(a).toBe(b);
  });

  it('makes tasks wait when every block is taken, said once, and never fails them', async () => {
    const scenario = setupScenario({
      spec: { title: 'Few ports', tasks: [{ id: 'slow-1' }, { id: 'slow-2' }, { id: 'slow-3' }] },
      agentBody: AGENT_BODY,
      configExtra: workspaceConfig([`ports: { count: 3, base: ${randomPortBase()}, blocks: 1 }`]),
    });
    const result = await run(scenario.root, ['run', '001', '--concurrency', '3'], 0);
    // Said once, however many tasks wait (none do when a loaded machine runs one at a time).
    expect(count(result.stderr, 'every block of ports is in use')).toBeLessThanOrEqual(1);
    if (!result.stderr.includes('conservative')) {
      expect(count(result.stderr, 'every block of ports is in use')).toBe(1);
    }
    const bases = ['slow-1', 'slow-2', 'slow-3'].map((id) => read(scenario.scratch, `${id}.ports`));
    expect(new Set(bases).size).toBe(1);
  });
});

describe('workspace: bad input', () => {
  const repoWith = (configLines: string[], files: Record<string, string> = FILES) =>
    setupScenario({
      spec: { title: 'Bad workspace', tasks: [{ id: 'one' }] },
      agentBody: AGENT_BODY,
      files,
      configExtra: workspaceConfig(configLines),
    });

  it('names a missing copy file and where it was expected (exit 2, before any task)', async () => {
    const { root, marker } = repoWith(['copy: [".env", "config/local.json"]']);
    const result = await run(root, ['run', '001'], 2);
    expect(result.stderr).toContain(
      `copy file \`config/local.json\` is missing: expected at ${path.join(root, 'config/local.json')}`,
    );
    expect(invocations(marker).size).toBe(0);
  });

  it('refuses copy paths outside the repository where they are written', async () => {
    const { root } = repoWith(['copy: ["../secret", "/etc/hosts"]']);
    const result = await run(root, ['validate'], 2);
    expect(result.stderr).toMatch(
      /config\.yaml:\d+:\d+: workspace\.copy\[0\]: path `\.\.\/secret` climbs out/,
    );
    expect(result.stderr).toMatch(/workspace\.copy\[1\]: path `\/etc\/hosts` is absolute/);
    await run(root, ['run', '001'], 2);
  });

  it('refuses a copy path that leads outside through a symbolic link', async () => {
    const { '.env': _env, ...files } = FILES;
    const { root } = repoWith(['copy: [".env"]'], files);
    const outside = path.join(tempDir('cairn-outside-'), 'secret.env');
    writeFiles(path.dirname(outside), { 'secret.env': 'X=1\n' });
    symlinkSync(outside, path.join(root, '.env'));
    const result = await run(root, ['run', '001'], 2);
    expect(result.stderr).toContain('copy path `.env` leads outside the repository through a symbolic link');
  });

  it('refuses copied and cached paths git does not ignore (agents would commit them)', async () => {
    const { root } = repoWith([
      'setup: ["sh setup.sh"]',
      'cache: [{ path: build, key: [package-lock.json] }]',
      'copy: ["README.md"]',
    ]);
    const result = await run(root, ['run', '001'], 2);
    expect(result.stderr).toContain('copy path `README.md` is tracked by git');
    expect(result.stderr).toContain(
      "cached path `build` is not ignored by git: agents' commits would include it",
    );
  });
});
