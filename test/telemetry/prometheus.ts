/**
 * A real Prometheus on 127.0.0.1 with deterministic data: the test writes an OpenMetrics file, `promtool
 * tsdb create-blocks-from openmetrics` turns it into TSDB blocks, and `prometheus` serves them (no
 * scraping). Debian ships both binaries in the `prometheus` package; where they are missing (a user's
 * clone), PROMETHEUS.missing says why and the tests that need them skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../net.js';

function which(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const full = path.join(dir, bin);
    if (dir && existsSync(full)) return full;
  }
  return undefined;
}

const prometheusBin = which('prometheus');
const promtoolBin = which('promtool');

export const PROMETHEUS = {
  prometheus: prometheusBin,
  promtool: promtoolBin,
  /** Why the real-server tests skip, or undefined when they run. */
  missing:
    prometheusBin && promtoolBin
      ? undefined
      : `skipping the tests against a real Prometheus: ${[!prometheusBin && 'prometheus', !promtoolBin && 'promtool'].filter(Boolean).join(' and ')} not found on PATH (Debian: apt-get install prometheus)`,
};

/** The evaluation time of every test: 2025-01-01T12:00:00Z. The data ends here and starts an hour before. */
export const T = 1_735_732_800;
export const T_ISO = '2025-01-01T12:00:00Z';
const STEP = 15;
const START = T - 3600;

const BUCKETS = ['0.05', '0.1', '0.25', '0.5', '1', '+Inf'];

interface Route {
  service: string;
  route: string;
  /** Requests per second by status code (a code absent here has no series at all). */
  codes: Record<string, number>;
  /** Cumulative observations per second for each bucket of BUCKETS. */
  buckets: number[];
  /** Seconds of latency per second (the histogram's _sum rate). */
  sum: number;
}

/**
 * The traffic, constant over the hour:
 * - pets /pets: 10 req/s, 0.2 % 5xx; p95 98.6 ms, avg 60 ms
 * - pets /pets/{id}: 5 req/s, 5 % 5xx; p95 458.3 ms, avg 250 ms
 *   (service pets as a whole: 1.8 % errors, p95 337.5 ms, avg 123.3 ms)
 * - orders /orders: 2 req/s, no 5xx series at all; p95 47.5 ms
 * - idle /idle: series present, no requests in the hour (every rate is 0: 0/0 is NaN)
 */
export const ROUTES: Route[] = [
  { service: 'pets', route: '/pets', codes: { '200': 9.98, '500': 0.02 }, buckets: [6, 9.6, 9.9, 10, 10, 10], sum: 0.6 },
  { service: 'pets', route: '/pets/{id}', codes: { '200': 4.75, '500': 0.25 }, buckets: [1, 2, 4, 4.9, 5, 5], sum: 1.25 },
  { service: 'orders', route: '/orders', codes: { '200': 2 }, buckets: [2, 2, 2, 2, 2, 2], sum: 0.05 },
  { service: 'idle', route: '/idle', codes: { '200': 0 }, buckets: [0, 0, 0, 0, 0, 0], sum: 0 },
];

/** Counters start high so that rate()'s extrapolation is never cut at a zero crossing. */
const BASE = 100_000;

function points(labels: string, name: string, perSecond: number): string[] {
  const out: string[] = [];
  for (let t = START; t <= T; t += STEP) out.push(`${name}{${labels}} ${BASE + perSecond * (t - START)} ${t}`);
  return out;
}

export function openMetrics(routes: Route[] = ROUTES): string {
  const lines = ['# TYPE http_requests counter'];
  for (const r of routes) {
    for (const [code, rate] of Object.entries(r.codes)) lines.push(...points(`service="${r.service}",route="${r.route}",code="${code}"`, 'http_requests_total', rate));
  }
  lines.push('# TYPE http_request_duration_seconds histogram');
  for (const r of routes) {
    const l = `service="${r.service}",route="${r.route}"`;
    BUCKETS.forEach((le, i) => lines.push(...points(`${l},le="${le}"`, 'http_request_duration_seconds_bucket', r.buckets[i]!)));
    lines.push(...points(l, 'http_request_duration_seconds_count', r.buckets[BUCKETS.length - 1]!));
    lines.push(...points(l, 'http_request_duration_seconds_sum', r.sum));
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Serve under this path prefix (`--web.route-prefix`), e.g. `/prom`; the url includes it. */
  routePrefix?: string;
  /** Require basic auth: a user and the bcrypt hash of their password (`--web.config.file`); `password` is for the readiness probe. */
  basicAuth?: { user: string; bcrypt: string; password: string };
}

/** Backfill the data and start Prometheus on a free loopback port; resolves once /-/ready answers 200. */
export async function startPrometheus(data = openMetrics(), opts: StartOptions = {}): Promise<RunningPrometheus> {
  if (PROMETHEUS.missing) throw new Error(PROMETHEUS.missing);
  const dir = mkdtempSync(path.join(tmpdir(), 'telemetry-prom-'));
  const file = path.join(dir, 'data.om.txt');
  writeFileSync(file, data);
  const tsdb = path.join(dir, 'tsdb');
  const made = spawnSync(PROMETHEUS.promtool!, ['tsdb', 'create-blocks-from', 'openmetrics', file, tsdb], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`promtool create-blocks-from openmetrics failed: ${made.stderr || made.stdout}`);
  // No scrape_configs: the data are only what was backfilled, so every answer is known in advance.
  writeFileSync(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
  const extraArgs: string[] = [];
  const probeHeaders: Record<string, string> = {};
  if (opts.routePrefix) extraArgs.push(`--web.route-prefix=${opts.routePrefix}`);
  if (opts.basicAuth) {
    writeFileSync(path.join(dir, 'web.yml'), `basic_auth_users:\n  ${opts.basicAuth.user}: '${opts.basicAuth.bcrypt}'\n`);
    extraArgs.push(`--web.config.file=${path.join(dir, 'web.yml')}`);
    probeHeaders.authorization = `Basic ${Buffer.from(`${opts.basicAuth.user}:${opts.basicAuth.password}`).toString('base64')}`;
  }
  let log = '';
  let child: ChildProcess | undefined;
  let url = '';
  for (let attempt = 0; attempt < 3 && !url; attempt++) {
    const port = await freePort();
    child = spawn(
      PROMETHEUS.prometheus!,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${tsdb}`,
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
        ...extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<void>((r) => child!.once('exit', () => r()));
    const base = `http://127.0.0.1:${port}${opts.routePrefix ?? ''}`;
    for (let i = 0; i < 150; i++) {
      const gone = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 200))]);
      if (gone) break; // the port was taken between freePort and listen: try another
      try {
        const res = await fetch(`${base}/-/ready`, { headers: probeHeaders });
        if (res.status === 200) {
          url = base;
          break;
        }
      } catch {
        // not listening yet
      }
    }
    if (!url && child.exitCode === null) child.kill('SIGKILL');
  }
  if (!url || !child) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`prometheus did not become ready:\n${log.slice(-3000)}`);
  }
  const proc = child;
  return {
    url,
    stop: async () => {
      if (proc.exitCode === null) {
        const gone = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
