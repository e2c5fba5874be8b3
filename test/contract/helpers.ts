import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLE_PACT = 'examples/petstore/consumer/pacts/petstore-web-petstore-api.json';
export const SPEC_V1 = 'examples/petstore/openapi.v1.yaml';
export const SPEC_V2 = 'examples/petstore/openapi.v2.yaml';

const made: string[] = [];
/** A temp directory with these files; removed by cleanTemp(). */
export function tempDir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(path.join(tmpdir(), 'contract-test-'));
  made.push(d);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    writeFileSync(path.join(d, name), text);
  }
  return d;
}
export function cleanTemp(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A small v3 pact with the given interactions. */
export function pactText(interactions: unknown[], extra: Record<string, unknown> = {}): string {
  return (
    JSON.stringify(
      {
        consumer: { name: 'web' },
        provider: { name: 'api' },
        interactions,
        metadata: { pactSpecification: { version: '3.0.0' } },
        ...extra,
      },
      null,
      2,
    ) + '\n'
  );
}

export { freePort } from '../net.js';

export interface Petstore {
  url: string;
  port: number;
  close(): Promise<void>;
}
/** The example server (plain JavaScript, so it is imported by path and typed here). */
export async function startPetstore(opts: { port?: number; bugs?: string[] } = {}): Promise<Petstore> {
  const mod = (await import(path.join(ROOT, 'examples/petstore/server.mjs'))) as { startServer(o: object): Promise<Petstore> };
  return mod.startServer({ port: 0, ...opts });
}
