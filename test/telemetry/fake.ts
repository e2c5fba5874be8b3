/**
 * A recording stand-in for the Prometheus query API on 127.0.0.1, for the answers a real server will not
 * give on demand: 503/429 with Retry-After, HTML from a proxy, a hang. Each request takes the next
 * scripted answer (the last one repeats); every request is recorded with its headers and form fields.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON. */
  body?: unknown;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
}

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form: Record<string, string>;
}

export interface Fake {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** A vector answer: one series per entry. */
export function vector(...series: [Record<string, string>, string][]): Answer {
  return { body: { status: 'success', data: { resultType: 'vector', result: series.map(([metric, v]) => ({ metric, value: [1735732800, v] })) } } };
}

export async function startFake(answers: Answer[]): Promise<Fake> {
  const requests: Recorded[] = [];
  const hanging: ServerResponse[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, form: Object.fromEntries(new URLSearchParams(body)) });
      const a = answers[Math.min(n++, answers.length - 1)]!;
      if (a.hang) {
        hanging.push(res);
        return;
      }
      const json = typeof a.body === 'object' && a.body !== null;
      res.writeHead(a.status ?? 200, { 'content-type': json ? 'application/json' : 'text/html', ...a.headers });
      res.end(json ? JSON.stringify(a.body) : String(a.body ?? ''));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
