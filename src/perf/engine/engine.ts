/**
 * The built-in load engine: k6's scenario shape (constant VUs or constant arrival rate, weighted
 * requests, duration) run from Node over keep-alive HTTP/1.1 connections, one per VU. It records
 * the metrics k6 records, under k6's names, so the same budget judges either engine:
 * http_reqs, http_req_duration (+ {name:…} and {expected_response:true}), http_req_failed,
 * iterations, iteration_duration, vus, vus_max, data_sent, data_received, dropped_iterations.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalKey, parseMetricKey, type Metric, type Summary } from '../metrics.js';
import { ScalarAggregator, TrendAggregator } from '../trend.js';
import { buildRequest, Connection, type Outcome } from './connection.js';
import type { Scenario } from './scenario.js';

export interface Progress {
  elapsedMs: number;
  durationMs: number;
  requests: number;
  failed: number;
  /** VUs busy at the moment of the sample. */
  vus: number;
  /** VUs allocated so far (k6 prints active/allocated). */
  vusAllocated: number;
  rps: number;
}

export interface EngineOptions {
  baseUrl: string;
  /** Extra sub-metrics to compute (budget keys such as `http_req_duration{status:200}`). */
  submetrics?: string[];
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
  /** Stop early (e.g. on SIGINT). */
  signal?: AbortSignal;
  /** After the run ends, how long requests in flight may still finish before they are interrupted (k6's gracefulStop, 30 s). */
  gracefulStopMs?: number;
}

export const DEFAULT_GRACEFUL_STOP_MS = 30_000;

interface Prepared {
  name: string;
  method: string;
  bytes: Buffer;
  head: boolean;
  expect?: Set<number>;
  weight: number;
  current: number;
}

/** Tags a sample carries, the subset of k6's system tags a budget can select on. */
interface SampleTags {
  name: string;
  method: string;
  status: string;
  expected_response: string;
}

export async function runEngine(scenario: Scenario, opts: EngineOptions): Promise<Summary> {
  const base = new URL(opts.baseUrl);
  const secure = base.protocol === 'https:';
  const port = Number(base.port || (secure ? 443 : 80));
  const host = base.hostname.replace(/^\[|\]$/g, '');
  const requests: Prepared[] = scenario.requests.map((r) => {
    const target = /^https?:\/\//.test(r.path) ? new URL(r.path) : new URL(base.pathname.replace(/\/$/, '') + r.path, base);
    return {
      name: r.name,
      method: r.method,
      bytes: buildRequest(r.method, target, { ...scenario.headers, ...r.headers }, r.body),
      head: r.method === 'HEAD',
      expect: r.expect ? new Set(r.expect) : undefined,
      weight: r.weight,
      current: 0,
    };
  });
  const totalWeight = requests.reduce((a, r) => a + r.weight, 0);

  // Aggregators: the metrics k6 always has, per-name sub-metrics, and any the budget asks for.
  const duration = new TrendAggregator();
  const expectedDuration = new TrendAggregator();
  const iterationDuration = new TrendAggregator();
  // Plain numbers on the hot path; they become k6-shaped metrics at the end.
  const count = { reqs: 0, failed: 0, iterations: 0, dropped: 0, sent: 0, received: 0 };
  const byName = new Map<string, { trend: TrendAggregator; reqs: number; failed: number }>();
  for (const r of requests) if (!byName.has(r.name)) byName.set(r.name, { trend: new TrendAggregator(), reqs: 0, failed: 0 });
  const nameOf = requests.map((r) => byName.get(r.name)!);
  const custom = customSubmetrics(opts.submetrics ?? [], new Set([...byName.keys()].map((n) => `name:${n}`)));
  // Which custom sinks a (request, status) pair feeds: computed once per pair, not per sample.
  const sinkCache = new Map<number, { trend: TrendAggregator[]; reqs: ScalarAggregator[]; failed: ScalarAggregator[] }>();
  const sinksFor = (ri: number, status: number, ok: boolean) => {
    const key = ri * 2000 + status * 2 + (ok ? 1 : 0);
    let s = sinkCache.get(key);
    if (!s) {
      const r = requests[ri]!;
      const tags: SampleTags = { name: r.name, method: r.method, status: String(status), expected_response: String(ok) };
      s = { trend: [], reqs: [], failed: [] };
      for (const c of custom) {
        if (!c.tags.every(([k, v]) => (tags as unknown as Record<string, string>)[k] === v)) continue;
        if (c.metric === 'http_req_duration') s.trend.push(c.agg as TrendAggregator);
        else if (c.metric === 'http_reqs') s.reqs.push(c.agg as ScalarAggregator);
        else s.failed.push(c.agg as ScalarAggregator);
      }
      sinkCache.set(key, s);
    }
    return s;
  };

  const sent = requests.map((r) => r.bytes.length);
  let requestsMade = 0;
  let launched = 0;
  let failures = 0;
  const maxRequests = scenario.maxRequests ?? Infinity;
  const started = performance.now();
  const deadline = started + scenario.durationMs;
  let stopped = false;
  // Ends think-time pauses at once when the run stops.
  const stopping = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stopping.abort();
    // A target that never answers must not hold the run for the full request timeout.
    graceTimer = setTimeout(() => {
      for (const c of connections) c.interrupt('interrupted: no response before the graceful stop');
    }, opts.gracefulStopMs ?? DEFAULT_GRACEFUL_STOP_MS);
  };
  const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => {});
  opts.signal?.addEventListener('abort', stop, { once: true });
  const stopTimer = setTimeout(stop, scenario.durationMs);

  /** Smooth weighted round-robin: exact proportions, deterministic order. */
  const pick = (): number => {
    let best = -1;
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i]!;
      r.current += r.weight;
      if (best < 0 || r.current > requests[best]!.current) best = i;
    }
    requests[best]!.current -= totalWeight;
    return best;
  };

  const record = (ri: number, o: Outcome, iterStart: number) => {
    const r = requests[ri]!;
    requestsMade++;
    const ok = o.status !== 0 && (r.expect ? r.expect.has(o.status) : o.status >= 200 && o.status < 400);
    if (!ok) failures++;
    const f = ok ? 0 : 1;
    count.reqs++;
    count.failed += f;
    count.sent += sent[ri]!;
    count.received += o.bytes;
    const n = nameOf[ri]!;
    n.reqs++;
    n.failed += f;
    // k6 records a duration for every response; a request that got no response has none.
    if (o.status !== 0) {
      duration.add(o.durationMs);
      n.trend.add(o.durationMs);
      if (ok) expectedDuration.add(o.durationMs);
    }
    if (custom.length) {
      const s = sinksFor(ri, o.status, ok);
      for (const t of s.trend) if (o.status !== 0) t.add(o.durationMs);
      for (const c of s.reqs) c.add(1);
      for (const c of s.failed) c.add(f);
    }
    count.iterations++;
    iterationDuration.add(performance.now() - iterStart);
  };

  const vusGauge = new ScalarAggregator('gauge');
  const vusMax = new ScalarAggregator('gauge');
  let activeVUs = 0;
  const connections: Connection[] = [];
  const newConnection = () => {
    const c = new Connection(host, port, scenario.timeoutMs, secure);
    connections.push(c);
    return c;
  };
  const more = () => !stopped && launched < maxRequests && performance.now() < deadline;

  // Progress line and the vus gauge, sampled once a second like k6's.
  let lastCount = 0;
  let lastAt = started;
  const interval = Math.max(100, opts.progressIntervalMs ?? 1000);
  const ticker = setInterval(() => {
    const now = performance.now();
    vusGauge.add(activeVUs);
    const rps = ((requestsMade - lastCount) * 1000) / Math.max(1, now - lastAt);
    lastCount = requestsMade;
    lastAt = now;
    opts.onProgress?.({ elapsedMs: now - started, durationMs: scenario.durationMs, requests: requestsMade, failed: failures, vus: activeVUs, vusAllocated: connections.length, rps });
  }, interval);

  try {
    if (scenario.executor === 'constant-vus') {
      activeVUs = scenario.vus;
      vusGauge.add(activeVUs);
      vusMax.add(scenario.vus);
      const vu = async () => {
        const conn = newConnection();
        while (more()) {
          launched++;
          const ri = pick();
          const t0 = performance.now();
          const o = await conn.send(requests[ri]!.bytes, requests[ri]!.head);
          record(ri, o, t0);
          if (scenario.thinkTimeMs > 0 && more()) await pause(scenario.thinkTimeMs);
          // A refused connection fails instantly: pace retries so a dead target cannot spin the loop.
          else if (o.status === 0) await pause(Math.min(100, scenario.timeoutMs));
        }
      };
      await Promise.all(Array.from({ length: scenario.vus }, vu));
    } else {
      vusMax.add(scenario.maxVUs);
      const idle: Connection[] = Array.from({ length: scenario.preAllocatedVUs }, newConnection);
      let allocated = scenario.preAllocatedVUs;
      const running = new Set<Promise<void>>();
      const periodMs = scenario.timeUnitMs / scenario.rate;
      let due = 0;
      const iteration = async (conn: Connection) => {
        activeVUs++;
        const ri = pick();
        const t0 = performance.now();
        const o = await conn.send(requests[ri]!.bytes, requests[ri]!.head);
        record(ri, o, t0);
        if (scenario.thinkTimeMs > 0) await pause(scenario.thinkTimeMs);
        activeVUs--;
        idle.push(conn);
      };
      // Start iterations on schedule; when no VU is free and none may be added, the iteration is dropped.
      while (more()) {
        const now = performance.now();
        const shouldHaveStarted = Math.floor((now - started) / periodMs) + 1;
        while (due < shouldHaveStarted && launched < maxRequests) {
          due++;
          let conn = idle.pop();
          if (!conn && allocated < scenario.maxVUs) {
            conn = newConnection();
            allocated++;
          }
          if (!conn) {
            count.dropped++;
            continue;
          }
          launched++;
          const p = iteration(conn).finally(() => running.delete(p));
          running.add(p);
        }
        const next = started + due * periodMs;
        await sleep(Math.max(1, Math.min(50, next - performance.now())));
      }
      await Promise.all(running);
    }
  } finally {
    clearInterval(ticker);
    clearTimeout(stopTimer);
    clearTimeout(graceTimer);
    opts.signal?.removeEventListener('abort', stop);
    for (const c of connections) c.close();
  }

  const durationS = (performance.now() - started) / 1000;
  vusGauge.add(0 + activeVUs);
  const summary: Summary = { source: 'builtin', metrics: new Map(), k6Thresholds: [], durationS };
  const put = (name: string, m: Metric) => summary.metrics.set(name, m);
  const counter = (name: string, n: number, contains: Metric['contains'] = 'default'): Metric => ({ name, type: 'counter', contains, values: { count: n, rate: n / durationS } });
  const rate = (name: string, trues: number, total: number): Metric => ({ name, type: 'rate', contains: 'default', values: { rate: total ? trues / total : NaN, passes: trues, fails: total - trues }, samples: total });
  put('http_reqs', counter('http_reqs', count.reqs));
  put('http_req_duration', duration.toMetric('http_req_duration'));
  if (expectedDuration.count > 0) put('http_req_duration{expected_response:true}', expectedDuration.toMetric('http_req_duration{expected_response:true}'));
  put('http_req_failed', rate('http_req_failed', count.failed, count.reqs));
  put('iterations', counter('iterations', count.iterations));
  put('iteration_duration', iterationDuration.toMetric('iteration_duration'));
  const vusMetric = vusGauge.toMetric('vus', durationS);
  vusMetric.values.value = scenario.executor === 'constant-vus' ? scenario.vus : vusMetric.values.max ?? 0;
  put('vus', vusMetric);
  put('vus_max', vusMax.toMetric('vus_max', durationS));
  put('data_sent', counter('data_sent', count.sent, 'data'));
  put('data_received', counter('data_received', count.received, 'data'));
  if (scenario.executor === 'constant-arrival-rate') put('dropped_iterations', counter('dropped_iterations', count.dropped));
  for (const [name, n] of byName) {
    const tag = `{name:${name}}`;
    // Present even when no request got an answer (values NaN), so a budget on it says why.
    put(`http_req_duration${tag}`, n.trend.toMetric(`http_req_duration${tag}`));
    put(`http_reqs${tag}`, counter(`http_reqs${tag}`, n.reqs));
    put(`http_req_failed${tag}`, rate(`http_req_failed${tag}`, n.failed, n.reqs));
  }
  for (const c of custom) {
    if (summary.metrics.has(c.key)) continue;
    if (c.agg instanceof TrendAggregator) {
      if (c.agg.count > 0) put(c.key, c.agg.toMetric(c.key));
    } else put(c.key, c.agg.toMetric(c.key, durationS));
  }
  return summary;
}

interface Custom {
  key: string;
  metric: 'http_req_duration' | 'http_reqs' | 'http_req_failed';
  tags: [string, string][];
  agg: TrendAggregator | ScalarAggregator;
}

const SELECTABLE = new Set(['name', 'method', 'status', 'expected_response']);

/** Budget sub-metrics the engine can compute: its three HTTP metrics, selected by name/method/status/expected_response. */
function customSubmetrics(keys: string[], alreadyByName: Set<string>): Custom[] {
  const out: Custom[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    const k = parseMetricKey(key);
    if (!k || k.tags.length === 0) continue;
    if (k.base !== 'http_req_duration' && k.base !== 'http_reqs' && k.base !== 'http_req_failed') continue;
    if (!k.tags.every(([t]) => SELECTABLE.has(t))) continue;
    if (k.tags.length === 1 && alreadyByName.has(`${k.tags[0]![0]}:${k.tags[0]![1]}`)) continue;
    if (k.base === 'http_req_duration' && k.tags.length === 1 && k.tags[0]![0] === 'expected_response' && k.tags[0]![1] === 'true') continue;
    const c = canonicalKey(key);
    if (seen.has(c)) continue;
    seen.add(c);
    out.push({ key: c, metric: k.base, tags: k.tags, agg: k.base === 'http_req_duration' ? new TrendAggregator() : new ScalarAggregator(k.base === 'http_reqs' ? 'counter' : 'rate') });
  }
  return out;
}
