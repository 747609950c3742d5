/**
 * Seeded, realistic git histories written with `git fast-import` (fast enough for 100,000
 * commits): several authors, conventional and free-form subjects, merges of side branches,
 * renames, deletions, binary files, a non-UTF-8 path and message, Agent/Milestone/Task trailers,
 * bursts of activity and a skewed clock. Used by the analyze e2e tests and bench/analyze.ts.
 */
import { mulberry32 } from '../../src/shared/random.js';
import { execFileSync, spawn } from 'node:child_process';

export interface HistoryOptions {
  commits: number;
  seed?: number;
  /** File changes per ordinary commit, on average. */
  filesPerCommit?: number;
  /** A side branch of a few commits is merged about once per this many commits (0: never). */
  mergeEvery?: number;
  /** One commit touching this many new files (0: none). */
  largeCommitFiles?: number;
  /** Branches to create on the way: once `main` has at least this many commits, the branch points at it. */
  branchesAt?: Record<number, string>;
}

/** What the generator wrote, to check an analysis against. */
export interface HistoryManifest {
  commits: number;
  merges: number;
  /** Expected type per commit, by type. */
  types: Record<string, number>;
  authors: Record<string, number>;
  agents: Record<string, number>;
  milestones: Record<string, { commits: number; tasks: number }>;
  skewed: number;
  /** Commits under each branch of `branchesAt`. */
  branches: Record<string, number>;
}

const random = mulberry32;

const AUTHORS = [
  ['Ann Lee', 'ann@example.com'],
  ['Bob Stone', 'bob@example.com'],
  ['Chloé Martin', 'chloe@example.com'],
  ['Dev Patel', 'dev@example.com'],
  ['Eve Park', 'eve@example.com'],
  ['Cairn Agent', 'agent@cairn.invalid'],
] as const;

/** Subject templates and the type the classifier must give them. */
const SUBJECTS: [string, string][] = [
  ['feat(api): add endpoint %', 'feat'],
  ['feat: support option %', 'feat'],
  ['fix(parser): handle empty input in %', 'fix'],
  ['fix: off-by-one in %', 'fix'],
  ['docs: explain %', 'docs'],
  ['test: cover %', 'test'],
  ['refactor(core): split %', 'refactor'],
  ['chore: tidy %', 'chore'],
  ['perf: cache %', 'perf'],
  ['ci: run % on pull requests', 'ci'],
  ['build(deps): bump %', 'build'],
  ['style: format %', 'style'],
  ['fix typo in %', 'fix'],
  ['Add %', 'feat'],
  ['Implement %', 'feat'],
  ['update docs for %', 'docs'],
  ['Refactor %', 'refactor'],
  ['Bump % to 2.0', 'build'],
  ['wip', 'chore'],
  ['asdf %', 'other'],
];

const KIND_PATHS = [
  (n: number) => `src/mod${n % 23}/file${n}.ts`,
  (n: number) => `src/mod${n % 23}/file${n}.ts`,
  (n: number) => `test/unit${n % 11}/file${n}.test.ts`,
  (n: number) => `docs/part${n % 7}/page${n}.md`,
  (n: number) => `config/setting${n}.json`,
];
/** Files on main stay around this many, as in a project that deletes as much as it adds. */
const FILE_CAP = 600;

interface Writer {
  text(value: string): void;
  bytes(value: Buffer): void;
  data(value: Buffer): void;
  /** Bytes written but not yet handed to git. */
  pending(): number;
  flush(): Promise<void>;
}

function createWriter(stdin: NodeJS.WritableStream): Writer {
  let parts: Buffer[] = [];
  let size = 0;
  const writer: Writer = {
    text: (value) => writer.bytes(Buffer.from(value, 'utf8')),
    bytes(value) {
      parts.push(value);
      size += value.length;
    },
    data(value) {
      writer.text(`data ${value.length}\n`);
      writer.bytes(value);
      writer.text('\n');
    },
    pending: () => size,
    async flush() {
      if (size === 0) return;
      const chunk = Buffer.concat(parts);
      parts = [];
      size = 0;
      if (!stdin.write(chunk)) await new Promise((resolve) => stdin.once('drain', resolve));
    },
  };
  return writer;
}

/** Writes a history into the (empty) repository at `dir`, on `main`, and returns its manifest. */
export async function generateHistory(dir: string, options: HistoryOptions): Promise<HistoryManifest> {
  const rand = random(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const filesPerCommit = options.filesPerCommit ?? 3;
  const mergeEvery = options.mergeEvery ?? 12;
  const manifest: HistoryManifest = {
    commits: 0,
    merges: 0,
    types: {},
    authors: {},
    agents: {},
    milestones: {},
    skewed: 0,
    branches: {},
  };
  const pendingBranches = Object.entries(options.branchesAt ?? {})
    .map(([at, name]) => [Number(at), name] as const)
    .sort((a, b) => a[0] - b[0]);
  const tasks = new Map<string, Set<string>>();

  const child = spawn('git', ['fast-import', '--quiet', '--done'], {
    cwd: dir,
    // glibc hands freed memory back after every object (zlib's buffers): more system time than
    // work. Keeping it makes fast-import several times faster on large histories.
    env: { ...process.env, MALLOC_TRIM_THRESHOLD_: '268435456', MALLOC_TOP_PAD_: '268435456' },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const out = createWriter(child.stdin);

  // A pool of blobs: text files share a vocabulary of lines, so diffs between them are partial.
  let mark = 0;
  const vocabulary = Array.from({ length: 120 }, (_, i) => `line ${i} ${'x'.repeat(i % 17)}`);
  const textBlobs: number[] = [];
  const binaryBlobs: number[] = [];
  for (let i = 0; i < 300; i++) {
    const lines = Array.from({ length: 4 + Math.floor(rand() * 30) }, () => pick(vocabulary));
    out.text(`blob\nmark :${++mark}\n`);
    out.data(Buffer.from(`${lines.join('\n')}\n`));
    textBlobs.push(mark);
  }
  for (let i = 0; i < 12; i++) {
    const bytes = Buffer.alloc(64 + i * 8, i);
    bytes[3] = 0;
    out.text(`blob\nmark :${++mark}\n`);
    out.data(bytes);
    binaryBlobs.push(mark);
  }

  const files: string[] = [];
  let fileNumber = 0;
  let time = 1_600_000_000;
  const newPath = () => pick(KIND_PATHS)(fileNumber++);
  const takeFile = () => files.splice(Math.floor(rand() * files.length), 1)[0]!;

  // On a side branch, nothing is renamed or deleted, and new files join `files` at the merge, so
  // the merge commit can replay the branch's changes onto main as they are.
  const changes = (count: number, sideAdded?: string[]): string[] => {
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const roll = rand();
      if (files.length < 5 || roll < 0.2) {
        const file = newPath();
        (sideAdded ?? files).push(file);
        lines.push(`M 100644 :${pick(textBlobs)} ${file}`);
      } else if (roll < 0.27 && !sideAdded) {
        const from = takeFile();
        const to = `${from.replace(/\.[a-z]+$/, '')}-moved${from.slice(from.lastIndexOf('.'))}`;
        files.push(to);
        lines.push(`R ${from} ${to}`);
      } else if ((roll < 0.3 || files.length > FILE_CAP) && !sideAdded && files.length > 20) {
        lines.push(`D ${takeFile()}`);
      } else if (roll < 0.34) {
        lines.push(`M 100644 :${pick(binaryBlobs)} assets/image${Math.floor(rand() * 20)}.png`);
      } else {
        lines.push(`M 100644 :${pick(textBlobs)} ${pick(files)}`);
      }
    }
    return lines;
  };

  const commit = (input: {
    ref: string;
    from?: number | undefined;
    merge?: number;
    subject: string;
    type: string;
    message?: Buffer;
    lines: string[];
    /** File commands as raw bytes (a non-UTF-8 path). */
    raw?: Buffer;
  }): number => {
    const [name, email] = pick(AUTHORS);
    time += rand() < 0.15 ? 86_400 + Math.floor(rand() * 3 * 86_400) : 60 + Math.floor(rand() * 1800);
    const skew = rand() < 0.01;
    const authorTime = skew ? time + 400 * 86_400 : time;
    const trailers: string[] = [];
    if (rand() < 0.3 || input.merge !== undefined) {
      const milestone = `00${1 + Math.floor(rand() * 3)}`;
      const task = `task-${Math.floor(rand() * 8)}`;
      const agent = pick(['coder (claude)', 'reviewer (codex)', 'helper (aider)']);
      trailers.push(`Milestone: ${milestone}`, `Task: ${task}`, `Agent: ${agent}`);
      const entry = (manifest.milestones[milestone] ??= { commits: 0, tasks: 0 });
      entry.commits += 1;
      const seen = tasks.get(milestone) ?? new Set();
      seen.add(task);
      tasks.set(milestone, seen);
      entry.tasks = seen.size;
      manifest.agents[agent] = (manifest.agents[agent] ?? 0) + 1;
    }
    const text = `${input.subject}\n\nBody of the change.${trailers.length ? `\n\n${trailers.join('\n')}` : ''}\n`;
    out.text(`commit ${input.ref}\nmark :${++mark}\n`);
    out.text(`author ${name} <${email}> ${authorTime} +0000\ncommitter ${name} <${email}> ${time} +0000\n`);
    out.data(input.message ?? Buffer.from(text));
    if (input.from !== undefined) out.text(`from :${input.from}\n`);
    if (input.merge !== undefined) out.text(`merge :${input.merge}\n`);
    out.text(input.lines.map((line) => `${line}\n`).join(''));
    if (input.raw) out.bytes(input.raw);
    manifest.commits += 1;
    if (input.merge !== undefined) manifest.merges += 1;
    if (skew) manifest.skewed += 1;
    manifest.types[input.type] = (manifest.types[input.type] ?? 0) + 1;
    manifest.authors[name] = (manifest.authors[name] ?? 0) + 1;
    return mark;
  };

  let tip: number | undefined;
  let side = 0;
  const ordinary = () => {
    const [template, type] = pick(SUBJECTS);
    const subject = template.replace('%', `thing ${manifest.commits}`);
    const count = Math.max(1, Math.round(filesPerCommit * (0.5 + rand())));
    tip = commit({ ref: 'refs/heads/main', from: tip, subject, type, lines: changes(count) });
  };

  // Special commits early on: a non-UTF-8 path and message, and optionally a very large commit.
  ordinary();
  const latin1 = Buffer.from('fix: caf\xe9 cr\xe8me in the l\xe9gende\n', 'latin1');
  tip = commit({
    ref: 'refs/heads/main',
    from: tip,
    subject: '',
    type: 'fix',
    message: latin1,
    lines: [],
    raw: Buffer.from(`M 100644 :${textBlobs[0]!} docs/caf\xe9.md\n`, 'latin1'),
  });
  if (options.largeCommitFiles) {
    const lines = Array.from(
      { length: options.largeCommitFiles },
      (_, i) => `M 100644 :${textBlobs[i % textBlobs.length]!} vendor/pkg${i % 40}/file${i}.js`,
    );
    tip = commit({
      ref: 'refs/heads/main',
      from: tip,
      subject: 'Add vendored packages',
      type: 'feat',
      lines,
    });
  }

  while (manifest.commits < options.commits) {
    const left = options.commits - manifest.commits;
    if (mergeEvery > 0 && left >= 4 && rand() < 1 / mergeEvery) {
      // A side branch of 1–3 commits, merged back with a real merge commit.
      const name = `side-${++side}`;
      const sideCommits = 1 + Math.floor(rand() * Math.min(3, left - 2));
      let sideTip = tip;
      const sideLines: string[] = [];
      const sideAdded: string[] = [];
      for (let i = 0; i < sideCommits; i++) {
        const lines = changes(1 + Math.floor(rand() * filesPerCommit), sideAdded);
        sideLines.push(...lines);
        const [template, type] = pick(SUBJECTS);
        sideTip = commit({
          ref: 'refs/heads/side',
          from: sideTip,
          subject: template.replace('%', `${name} step ${i}`),
          type,
          lines,
        });
      }
      tip = commit({
        ref: 'refs/heads/main',
        from: tip,
        merge: sideTip!,
        subject: `Merge branch '${name}'`,
        type: 'merge',
        lines: sideLines,
      });
      files.push(...sideAdded);
    } else ordinary();
    while (pendingBranches.length > 0 && manifest.commits >= pendingBranches[0]![0]) {
      const [, name] = pendingBranches.shift()!;
      out.text(`reset refs/heads/${name}\nfrom :${tip!}\n\n`);
      manifest.branches[name] = manifest.commits;
    }
    if (out.pending() > 1 << 20) await out.flush();
  }
  out.text('done\n');
  await out.flush();
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import failed (${String(code)}): ${stderr}`);
  return manifest;
}

/** An empty repository on `main` with a local identity, ready for `generateHistory`. */
export function initRepository(dir: string): void {
  const run = (args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  run(['init', '--quiet', '--initial-branch=main']);
  run(['config', 'user.name', 'History Test']);
  run(['config', 'user.email', 'history@example.com']);
  run(['config', 'commit.gpgsign', 'false']);
}
