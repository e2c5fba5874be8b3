// `npm run bench`: the built-in load engine against autocannon on the example Petstore, same machine,
// same run. The server runs in its own process (node examples/petstore/server.mjs, rate limit off) so
// that the load generator and the server each have a core; rounds alternate which tool goes first and
// the medians are compared. Then the NDJSON reader on a large generated --out json file: time and peak
// memory of a fresh process (constant memory is the claim).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import { runEngine } from '../src/perf/engine/engine.js';
import { parseScenario } from '../src/perf/engine/scenario.js';
import { readSummary } from '../src/perf/summary.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const NDJSON_MB = Number(process.env.BENCH_NDJSON_MB ?? 500);
const PATH = '/pets?species=dog&limit=10';
const HEADERS = { authorization: 'Bearer demo-token' };

// Child mode: read one NDJSON file and report time and peak memory.
if (process.argv[2] === 'read-ndjson') {
  const t0 = performance.now();
  const s = await readSummary(process.argv[3]!, { submetrics: ['http_req_duration{name:GET /pets}'] });
  const ms = performance.now() - t0;
  const d = s.metrics.get('http_req_duration')!;
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, points: s.metrics.get('http_reqs')!.values.count, p95: d.values['p(95)'] }));
  process.exit(0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function startServerProcess(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [path.join(here, '../examples/petstore/server.mjs'), '--port', '0', '--bug', 'no-rate-limit'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

async function autocannonRps(url: string, seconds: number): Promise<{ rps: number; non2xx: number }> {
  const r = await autocannon({ url: url + PATH, connections: CONNECTIONS, duration: seconds, headers: HEADERS });
  return { rps: r.requests.total / seconds, non2xx: r.non2xx + r.errors };
}

async function engineRps(url: string, seconds: number): Promise<{ rps: number; failed: number; p95: number }> {
  const sc = parseScenario(`vus: ${CONNECTIONS}\nduration: ${seconds}s\nheaders: {Authorization: 'Bearer demo-token'}\nrequests:\n  - path: '${PATH}'\n`, 'bench');
  const s = await runEngine(sc, { baseUrl: url });
  const reqs = s.metrics.get('http_reqs')!.values;
  return { rps: reqs.rate!, failed: s.metrics.get('http_req_failed')!.values.passes!, p95: s.metrics.get('http_req_duration')!.values['p(95)']! };
}

async function throughput(): Promise<void> {
  const server = await startServerProcess();
  try {
    console.log(`load engine vs autocannon 9: ${CONNECTIONS} connections, ${SECONDS}s per run, ${ROUNDS} rounds (node ${process.version}, ${cpus().length} CPUs)`);
    console.log(`target: GET ${PATH} on the example Petstore in its own process (${server.url})\n`);
    await autocannonRps(server.url, 2); // warm-up, both sides JIT-compiled
    await engineRps(server.url, 2);
    const ac: number[] = [];
    const en: number[] = [];
    let failures = 0;
    console.log('round  autocannon req/s   built-in req/s   built-in p95 ms');
    for (let i = 0; i < ROUNDS; i++) {
      let a: Awaited<ReturnType<typeof autocannonRps>>;
      let e: Awaited<ReturnType<typeof engineRps>>;
      if (i % 2 === 0) {
        a = await autocannonRps(server.url, SECONDS);
        e = await engineRps(server.url, SECONDS);
      } else {
        e = await engineRps(server.url, SECONDS);
        a = await autocannonRps(server.url, SECONDS);
      }
      failures += a.non2xx + e.failed;
      ac.push(a.rps);
      en.push(e.rps);
      console.log(`${String(i + 1).padStart(5)}  ${a.rps.toFixed(0).padStart(16)}  ${e.rps.toFixed(0).padStart(15)}  ${e.p95.toFixed(2).padStart(16)}`);
    }
    // Each round's two runs are back to back, so they share the machine's load at the time: the
    // median of the per-round ratios is steadier than the ratio of the medians on a shared host.
    const ratio = median(en.map((e, i) => e / ac[i]!));
    console.log(
      `\nmedian: autocannon ${median(ac).toFixed(0)} req/s, built-in ${median(en).toFixed(0)} req/s; ` +
        `built-in/autocannon per round (median) = ${(ratio * 100).toFixed(0)}% (target ≥ 80%)${failures ? `; ${failures} failed requests` : ''}`,
    );
    if (ratio < 0.8) process.exitCode = 1;
  } finally {
    server.stop();
  }
}

async function largeNdjson(): Promise<void> {
  if (NDJSON_MB <= 0) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-perf-'));
  const file = path.join(dir, 'samples.ndjson');
  try {
    const out = createWriteStream(file);
    const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((ok) => out.once('drain', () => ok())));
    for (const [name, type, contains] of [['http_req_duration', 'trend', 'time'], ['http_reqs', 'counter', 'default']]) {
      await write(JSON.stringify({ type: 'Metric', data: { name, type, contains, thresholds: [], submetrics: null }, metric: name }) + '\n');
    }
    let bytes = 0;
    let i = 0;
    const target = NDJSON_MB * 2 ** 20;
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    while (bytes < target) {
      let chunk = '';
      for (let j = 0; j < 1000; j++, i++) {
        const time = new Date(t0 + i).toISOString();
        const tags = `{"group":"","method":"GET","name":"${i % 3 ? 'GET /pets' : 'GET /pets/{id}'}","proto":"HTTP/1.1","scenario":"default","status":"200","url":"http://127.0.0.1:8080/pets"}`;
        chunk += `{"metric":"http_req_duration","type":"Point","data":{"time":"${time}","value":${(1 + ((i * 7919) % 5000) / 100).toFixed(3)},"tags":${tags}}}\n`;
        chunk += `{"metric":"http_reqs","type":"Point","data":{"time":"${time}","value":1,"tags":${tags}}}\n`;
      }
      bytes += chunk.length;
      await write(chunk);
    }
    await new Promise<void>((ok) => out.end(ok));
    const size = statSync(file).size;
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'read-ndjson', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; maxRssMb: number; points: number; p95: number };
    console.log(`\n--out json reader: ${(size / 2 ** 20).toFixed(0)} MB, ${(m.points * 2).toLocaleString('en')} points in ${(m.ms / 1000).toFixed(1)} s ` +
      `(${((size / 2 ** 20) / (m.ms / 1000)).toFixed(0)} MB/s, ${((m.points * 2) / (m.ms / 1000) / 1000).toFixed(0)}k points/s), peak RSS ${m.maxRssMb.toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await throughput();
await largeNdjson();
