/**
 * One process of the bus benchmark's multi-process part:
 * `node --import tsx bench/bus-child.ts <db-file> <index> <processes> <messages> <start-at-ms> <gap-ms>`.
 * Process i sends `messages` messages to process i+1 (one transaction each, as an agent's
 * `cairn msg send` would), one every `gap-ms` (0: as fast as it can), and takes and acks what
 * process i-1 sends it. Prints one JSON line: its latencies (send to ack, ms) and timings.
 */
import { openCoordination } from '../src/bus/coordination.js';

const [file = '', indexText = '0', countText = '4', messagesText = '1000', startText = '0', gapText = '0'] =
  process.argv.slice(2);
const gap = Number(gapText);
const index = Number(indexText);
const processes = Number(countText);
const messages = Number(messagesText);
const MILESTONE = 'bench';
const now = () => performance.timeOrigin + performance.now();
const tasks = Array.from({ length: processes }, (_, i) => `p${i}`);
const directory = { tasks, agents: [] };
const me = `task:p${index}`;
const to = `task:p${(index + 1) % processes}`;

const coordination = openCoordination(file);
const { bus } = coordination;
const pause = new Int32Array(new SharedArrayBuffer(4));
while (now() < Number(startText)) Atomics.wait(pause, 0, 0, 1);

const latencies: number[] = [];
const started = now();
let sent = 0;
while (sent < messages || latencies.length < messages) {
  if (sent < messages && now() >= started + sent * gap) {
    bus.send(
      { milestone: MILESTONE, type: 'BENCH', sender: me, to, payload: { at: now(), n: sent } },
      directory,
    );
    sent++;
  }
  const taken = bus.receive(MILESTONE, [me], { limit: 32 });
  if (taken.length > 0) {
    coordination.transaction(() => {
      for (const message of taken) bus.ack(MILESTONE, [me], message.id);
    });
    const acked = now();
    for (const message of taken) latencies.push(acked - (message.payload as { at: number }).at);
  } else if (sent >= messages || gap > 0) {
    Atomics.wait(pause, 0, 0, 1);
  }
}
const ms = now() - started;
coordination.close();
process.stdout.write(`${JSON.stringify({ index, sent, received: latencies.length, ms, latencies })}\n`);
