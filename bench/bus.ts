/**
 * `bus`: send + receive + ack throughput of the message bus, in-process in batches and from
 * four processes at once (with p50/p99 latency from send to ack), against the raw SQLite
 * insert/select/update rate of the same work measured in the same run on the same settings.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openCoordination } from '../src/bus/coordination.js';
import {
  BENCH_DIR,
  goal,
  log,
  median,
  quantile,
  round,
  runIfMain,
  tempDir,
  type BenchOutcome,
} from './lib.js';

const require = createRequire(import.meta.url);
const MESSAGES = Number(process.env.BENCH_BUS_MESSAGES ?? 50_000);
const BATCH = 500;
const RUNS = 3;
const PROCESSES = 4;
const PER_PROCESS = Number(process.env.BENCH_BUS_PER_PROCESS ?? 2_000);
const MILESTONE = 'bench';
/** In the latency run, each process sends one message every PACE_MS (4 x 200 messages/s). */
const PACE_MS = 5;

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

/** Cairn's bus in one process: batches of sends, a receive of the batch, the acks in one transaction. */
function inProcess(dir: string, run: number): number {
  const coordination = openCoordination(path.join(dir, `bus-${run}.db`));
  const { bus } = coordination;
  const directory = { tasks: ['a', 'b'], agents: [] };
  const started = performance.now();
  for (let done = 0; done < MESSAGES; done += BATCH) {
    coordination.transaction(() => {
      for (let i = 0; i < BATCH; i++) {
        bus.send(
          { milestone: MILESTONE, type: 'BENCH', sender: 'task:a', to: 'task:b', payload: { n: done + i } },
          directory,
        );
      }
    });
    const taken = bus.receive(MILESTONE, ['task:b'], { limit: BATCH });
    if (taken.length !== BATCH) throw new Error(`received ${taken.length} of ${BATCH}`);
    coordination.transaction(() => {
      for (const message of taken) bus.ack(MILESTONE, ['task:b'], message.id);
    });
  }
  const ms = performance.now() - started;
  const left = bus.counts(MILESTONE);
  coordination.close();
  if (left.acked !== MESSAGES) throw new Error(`acked ${left.acked} of ${MESSAGES}`);
  return ms;
}

/** The same work with hand-written SQL: insert a batch, select it, update each row; same pragmas. */
function rawSqlite(dir: string, run: number): number {
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  const db = new BetterSqlite(path.join(dir, `raw-${run}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE m (id INTEGER PRIMARY KEY AUTOINCREMENT, recipient TEXT NOT NULL, state TEXT NOT NULL,
    payload TEXT NOT NULL, sent_at INTEGER NOT NULL, acked_at INTEGER);
    CREATE INDEX m_inbox ON m (recipient, state, id);`);
  const insert = db.prepare(
    `INSERT INTO m (recipient, state, payload, sent_at) VALUES ('b', 'pending', ?, ?)`,
  );
  const select = db.prepare(
    `SELECT * FROM m WHERE recipient = 'b' AND state = 'pending' ORDER BY id LIMIT ?`,
  );
  const ack = db.prepare(`UPDATE m SET state = 'acked', acked_at = ? WHERE id = ?`);
  const started = performance.now();
  for (let done = 0; done < MESSAGES; done += BATCH) {
    db.transaction(() => {
      for (let i = 0; i < BATCH; i++) insert.run(JSON.stringify({ n: done + i }), Date.now());
    })();
    const rows = select.all(BATCH) as { id: number }[];
    db.transaction(() => {
      for (const row of rows) ack.run(Date.now(), row.id);
    })();
  }
  const ms = performance.now() - started;
  db.close();
  return ms;
}

interface ChildResult {
  index: number;
  received: number;
  ms: number;
  latencies: number[];
}

function child(file: string, index: number, startAt: number, gapMs: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const args = [
      '--import',
      'tsx',
      path.join(BENCH_DIR, 'bus-child.ts'),
      file,
      String(index),
      String(PROCESSES),
      String(PER_PROCESS),
      String(startAt),
      String(gapMs),
    ];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as ChildResult)
        : reject(new Error(`bus child ${index} exited ${code}: ${err}`)),
    );
  });
}

/**
 * Four processes, each sending to the next and acking what it gets; one transaction per send
 * and per receive. `gapMs` 0 floods (throughput); otherwise sends are paced (latency).
 */
async function multiProcess(dir: string, gapMs: number) {
  const file = path.join(dir, `multi-${gapMs}.db`);
  openCoordination(file).close(); // migrated before the clock starts
  const startAt = performance.timeOrigin + performance.now() + 3_000; // after tsx has loaded in every child
  const results = await Promise.all(
    Array.from({ length: PROCESSES }, (_, i) => child(file, i, startAt, gapMs)),
  );
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const wall = Math.max(...results.map((r) => r.ms));
  const total = results.reduce((sum, r) => sum + r.received, 0);
  if (total !== PROCESSES * PER_PROCESS) throw new Error(`received ${total} of ${PROCESSES * PER_PROCESS}`);
  return {
    messages: total,
    wall_ms: round(wall, 1),
    messages_per_sec: rate(total, wall),
    latency_p50_ms: round(quantile(latencies, 0.5), 2),
    latency_p99_ms: round(quantile(latencies, 0.99), 2),
    latency_max_ms: round(latencies[latencies.length - 1] ?? NaN, 2),
  };
}

export async function runBus(): Promise<BenchOutcome> {
  const dir = tempDir('cairn-bench-bus-');
  const cairn: number[] = [];
  const raw: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Interleaved, so drift in the machine's load hits both alike.
    raw.push(rawSqlite(dir, run));
    cairn.push(inProcess(dir, run));
  }
  log(
    `  bus: ${RUNS} in-process runs of ${MESSAGES} messages each; now ${PROCESSES} processes x ${PER_PROCESS}`,
  );
  const flood = await multiProcess(dir, 0);
  const paced = await multiProcess(dir, PACE_MS);
  const cairnRate = rate(MESSAGES, median(cairn));
  const rawRate = rate(MESSAGES, median(raw));
  return {
    figures: {
      messages: MESSAGES,
      batch: BATCH,
      in_process_messages_per_sec: cairnRate,
      in_process_ms: cairn.map((ms) => round(ms, 1)),
      four_processes_flood: flood,
      [`four_processes_paced_${PACE_MS}ms`]: paced,
    },
    baseline: {
      description: `raw better-sqlite3 on the same pragmas: insert a batch of ${BATCH}, select it, update each row to acked (3 statements a message), interleaved with the bus runs`,
      figures: { raw_messages_per_sec: rawRate, raw_ms: raw.map((ms) => round(ms, 1)) },
    },
    ratio: { 'raw/cairn': round(rawRate / cairnRate, 2) },
    goals: { in_process_messages_per_sec: goal(cairnRate, '>=', 20_000, 'msg/s') },
    notes: [
      `in-process: median of ${RUNS} runs; each message is one send (recipient check, breaker look-up, insert), one receive (lease expiry sweep, breaker, one update returning the batch) and one ack (update, breaker look-up), batched ${BATCH} to a transaction`,
      `four processes: each sends ${PER_PROCESS} messages to the next, one transaction per send, and takes up to 32 and acks them in one transaction; latency is send to ack across processes (same machine clock). flood: sends as fast as possible (throughput; latency there is mostly queueing); paced: one send every ${PACE_MS} ms per process (latency at a steady load)`,
    ],
  };
}

runIfMain(import.meta.url, async () => {
  const outcome = await runBus();
  process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  return 0;
});
