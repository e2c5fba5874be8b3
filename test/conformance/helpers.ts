import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec, type Spec } from '../../src/breaking/spec/load.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const V2 = path.join(ROOT, 'examples/petstore/openapi.v2.yaml');
export const TOKEN_HEADER = 'Authorization: Bearer demo-token';

export interface Petstore {
  url: string;
  close(): Promise<void>;
}

/** The example API (examples/petstore/server.mjs is plain JavaScript, typed here). */
export const { startServer } = (await import(path.join(ROOT, 'examples/petstore/server.mjs'))) as {
  startServer(o: { bugs?: string[]; port?: number }): Promise<Petstore>;
};

const dirs: string[] = [];
export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'conformance-test-'));
  dirs.push(d);
  return d;
}

/** Write a file into a fresh temp dir; returns its absolute path. */
export function writeTemp(name: string, text: string): string {
  const f = path.join(tempDir(), name);
  writeFileSync(f, text);
  return f;
}

export function specFrom(text: string, name = 'openapi.yaml'): Spec {
  const file = writeTemp(name, text);
  return loadSpec(file, { cwd: path.dirname(file) });
}

/** A minimal OpenAPI document around some `paths` YAML (indented two spaces) and components. */
export function openapi(pathsYaml: string, componentsYaml = '', version = '3.0.3'): string {
  return `openapi: ${version}\ninfo:\n  title: t\n  version: '1'\npaths:\n${pathsYaml}\n${componentsYaml ? `components:\n${componentsYaml}\n` : ''}`;
}

export interface TestServer {
  url: string;
  hits: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 whose answers a test writes; it records every request. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<TestServer> {
  const hits: TestServer['hits'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
