// The chat benchmark's load: real WebSocket clients (npm `ws`) against Vitrina or the baseline
// relay, speaking the frames of docs/protocol.md. Prints one JSON line per figure.
//
//   node load.mjs MODE --port P --site pk_… --origin URL [--cookie C] --pid SERVER_PID [options]
//
// MODE idle:    opens --steps connections (e.g. 1000,2000,4000,8000,16000) of welcomed, idle
//               visitors and reads the server's RSS at each step.
// MODE fanout:  --visitors V conversations and one operator; --rate R messages per second for
//               --seconds S, half visitor -> operator, half operator -> visitor; delivered
//               messages per second of server CPU and the p50/p99 send-to-delivery latency.
// MODE durable: --visitors V visitors each keep --window W messages unacknowledged for
//               --seconds S; acknowledged (committed) messages per second.
//
// Every phase is bounded by its own clock; the process exits when done.

import WebSocket from 'ws';
import { readFileSync } from 'node:fs';

const mode = process.argv[2];
const opt = {};
for (let i = 3; i < process.argv.length; i += 2) opt[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const port = Number(opt.port);
const pid = Number(opt.pid);
const clk = 100; // clock ticks per second, as /proc reports CPU time

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssKib = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const cpuSeconds = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clk; // utime + stime
};
let ids = 0;
const clientId = () => `bench-${process.pid}-${(++ids).toString().padStart(8, '0')}`;

// A welcomed connection; `onFrame` sees every later frame.
function connect(path, headers, onFrame) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers, perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error('no welcome within 10 s')), 10000);
    ws.on('error', (e) => { clearTimeout(timer); reject(e); });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', v: 1 })));
    let welcomed = false;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString('utf8'));
      if (!welcomed) {
        if (frame.type !== 'welcome') return reject(new Error(`refused: ${data}`));
        welcomed = true;
        clearTimeout(timer);
        return resolve(ws);
      }
      onFrame?.(frame, ws);
    });
  });
}
const visitor = (onFrame) => connect(`/v1/visitor/ws?site=${opt.site}`, { Origin: opt.origin }, onFrame);
const operator = (onFrame) =>
  connect('/v1/console/ws', { Origin: `http://127.0.0.1:${port}`, Cookie: opt.cookie ?? '' }, onFrame);

// Opens `count` visitors, at most 200 handshakes at a time.
async function openVisitors(count, onFrame, into = []) {
  for (let i = 0; i < count; i += 200) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 200); ++j) batch.push(visitor(onFrame));
    into.push(...(await Promise.all(batch)));
  }
  return into;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function idle() {
  const steps = (opt.steps ?? '1000,2000,4000,8000,16000').split(',').map(Number);
  const base = rssKib();
  const sockets = [];
  const points = [];
  for (const target of steps) {
    await openVisitors(target - sockets.length, null, sockets);
    await sleep(2000);
    const rss = rssKib();
    points.push({ connections: sockets.length, rss_kib: rss });
    console.log(JSON.stringify({ mode: 'idle', connections: sockets.length, rss_kib: rss, base_rss_kib: base }));
  }
  const first = points[0];
  const last = points[points.length - 1];
  const perConnection = ((last.rss_kib - first.rss_kib) * 1024) / (last.connections - first.connections);
  console.log(JSON.stringify({ mode: 'idle', bytes_per_connection: Math.round(perConnection) }));
  for (const s of sockets) s.terminate();
}

async function fanout() {
  const visitors = Number(opt.visitors ?? 200);
  const rate = Number(opt.rate ?? 2000);
  const seconds = Number(opt.seconds ?? 10);
  const latencies = [];
  let delivered = 0;
  let measuring = false;
  const onDelivery = (frame) => {
    if (frame.type !== 'message') return;
    const sent = Number(frame.text.split(' ')[0]);
    if (!measuring || !(sent > 0)) return;
    ++delivered;
    latencies.push(performance.now() - sent);
  };
  const op = await operator(onDelivery);
  const conv = new Map(); // visitor socket -> conversation id
  const vs = await openVisitors(visitors, onDelivery);
  await Promise.all(vs.map((v) => new Promise((resolve) => {
    const onAck = (data) => {
      const f = JSON.parse(data.toString('utf8'));
      if (f.type !== 'ack') return;
      conv.set(v, f.conversation_id);
      v.off('message', onAck);
      resolve();
    };
    v.on('message', onAck);
    v.send(JSON.stringify({ type: 'message', client_id: clientId(), text: 'start' }));
  })));
  await sleep(1000);
  const cpu0 = cpuSeconds();
  measuring = true;
  const started = performance.now();
  const interval = 1000 / rate;
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor((performance.now() - started) / interval);
    for (; sent < due; ++sent) {
      const v = vs[sent % vs.length];
      const text = `${performance.now()} fan-out`;
      if (sent % 2 === 0) {
        v.send(JSON.stringify({ type: 'message', client_id: clientId(), text }));
      } else {
        op.send(JSON.stringify({ type: 'message', conversation_id: conv.get(v), client_id: clientId(), text }));
      }
    }
    await sleep(1);
  }
  await sleep(1000); // the last deliveries
  measuring = false;
  const cpu = cpuSeconds() - cpu0;
  latencies.sort((a, b) => a - b);
  console.log(JSON.stringify({
    mode: 'fanout', offered_per_s: rate, seconds, sent, delivered, server_cpu_s: Number(cpu.toFixed(2)),
    delivered_per_cpu_s: Math.round(delivered / cpu),
    p50_ms: Number(percentile(latencies, 50)?.toFixed(2)), p99_ms: Number(percentile(latencies, 99)?.toFixed(2)),
  }));
  op.terminate();
  for (const v of vs) v.terminate();
}

async function durable() {
  const visitors = Number(opt.visitors ?? 64);
  const window = Number(opt.window ?? 16);
  const seconds = Number(opt.seconds ?? 10);
  let acked = 0;
  let counting = false;
  let stop = false;
  const send = (v) => v.send(JSON.stringify({ type: 'message', client_id: clientId(), text: 'durable message' }));
  const vs = await openVisitors(visitors, (frame, ws) => {
    if (frame.type !== 'ack') return;
    if (counting) ++acked;
    if (!stop) send(ws);
  });
  for (const v of vs) for (let i = 0; i < window; ++i) send(v);
  await sleep(2000);
  counting = true;
  const started = performance.now();
  await sleep(seconds * 1000);
  counting = false;
  const elapsed = (performance.now() - started) / 1000;
  stop = true;
  console.log(JSON.stringify({ mode: 'durable', visitors, window, acked, acks_per_s: Math.round(acked / elapsed) }));
  await sleep(500);
  for (const v of vs) v.terminate();
}

const run = { idle, fanout, durable }[mode];
if (!run) {
  console.error('mode must be idle, fanout or durable');
  process.exit(2);
}
run().then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });
