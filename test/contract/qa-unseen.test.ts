/**
 * QA on pacts and setups as consumer and provider teams write them (fixtures in ./qa-unseen/):
 * message interactions in compare, findings that name the field, directories with other JSON files,
 * state handlers that throw, and request bodies pact-js's verification proxy re-encodes.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runCompare, runProvider } from '../../src/contract/run.js';
import { contractSummary } from '../../src/contract/summary.js';
import { InputError } from '../../src/kit/errors.js';
import { cleanTemp, pactText, ROOT, tempDir } from './helpers.js';

const FIX = 'test/contract/qa-unseen';
const SPEC = `${FIX}/spec.yaml`;
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

afterAll(cleanTemp);

describe('compare: message interactions have no OpenAPI operation', () => {
  test('a v3 message pact is not a clean pass: a warning names the message, its row is "not compared"', async () => {
    const r = await runCompare({ cwd: ROOT, pactFiles: `${FIX}/messages-v3.json`, openapi: SPEC });
    expect(r.verdict).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ id: 'messages-not-compared', level: 'warning', location: { file: `${FIX}/messages-v3.json`, line: 9 } });
    expect(r.findings[0]!.message).toContain("messages[0] 'a pet created event'");
    expect(r.interactions).toEqual([expect.objectContaining({ description: 'a pet created event', result: 'not-verified', state: 'a pet exists' })]);
    expect(r.metrics).toMatchObject({ 'not compared (messages)': 1 });
    const summary = contractSummary(r);
    expect(summary).toContain('not compared (message: not in the OpenAPI spec)');
    expect(summary).not.toContain('provider-messages-url)');
    // fail-on warning makes an unchecked message pact fail.
    expect((await runCompare({ cwd: ROOT, pactFiles: `${FIX}/messages-v3.json`, openapi: SPEC, failOn: 'warning' })).verdict).toBe('fail');
  });

  test('v4 with HTTP and message interactions: the HTTP one is compared, the message one is not passed', async () => {
    const r = await runCompare({ cwd: ROOT, pactFiles: `${FIX}/mixed-v4.json`, openapi: SPEC });
    const rows = Object.fromEntries(r.interactions.map((i) => [i.description, i.result]));
    expect(rows).toEqual({ 'list pets': 'fail', 'a pet adopted event': 'not-verified' });
    expect(r.findings.map((f) => f.id).sort()).toEqual(['messages-not-compared', 'response.body.incompatible']);
  });
});

describe('compare: a finding names the field of the pact it is about', () => {
  test('"must be string" says which value (v4 wrapped body, item 1 of an array)', async () => {
    const r = await runCompare({ cwd: ROOT, pactFiles: `${FIX}/mixed-v4.json`, openapi: SPEC });
    const f = r.findings.find((x) => x.id === 'response.body.incompatible')!;
    expect(f.message).toContain("interactions[0] 'list pets': ");
    expect(f.message).toContain('must be string at response.body.items[1].id (');
  });
});

describe('--pact DIR with JSON files that are not pacts', () => {
  const pact = pactText([{ description: 'get a pet', request: { method: 'GET', path: '/pets/1' }, response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: '1', name: 'Rex' } } }]);

  test('a package.json next to the pacts is skipped (and named in the log), the pacts are compared', async () => {
    const dir = tempDir({ 'web-api.json': pact, 'package.json': '{"name":"x","version":"1.0.0"}', 'data.json': '[1, 2]' });
    const log: string[] = [];
    const r = await runCompare({ cwd: ROOT, pactFiles: dir, openapi: SPEC, log: (l) => log.push(l) });
    expect(r.verdict).toBe('pass');
    expect(r.interactions.map((i) => i.description)).toEqual(['get a pet']);
    expect(log.join('\n')).toMatch(/package\.json: not a pact .*skipped/);
    expect(log.join('\n')).toMatch(/data\.json: not a pact .*skipped/);
  });

  test('only such files: an input error that says why; a pact with a broken field is still an error', async () => {
    const junk = tempDir({ 'package.json': '{"name":"x"}' });
    await expect(runCompare({ cwd: ROOT, pactFiles: junk, openapi: SPEC })).rejects.toThrow(/holds no pact files: package\.json is JSON but not a pact/);
    const broken = tempDir({ 'a.json': '{"consumer": {"name": "web"}, "interactions": []}', 'package.json': '{}' });
    await expect(runCompare({ cwd: ROOT, pactFiles: broken, openapi: SPEC })).rejects.toThrow(InputError);
    await expect(runCompare({ cwd: ROOT, pactFiles: broken, openapi: SPEC })).rejects.toThrow(/a\.json: field 'provider\.name' is missing/);
  });
});

describe('verify: what pact-js would let through', () => {
  let server: Server;
  let url: string;
  const seen: { path: string; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', body });
        const json = (status: number, v: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
        if (req.method === 'POST' && req.url === '/pets') {
          const form = new URLSearchParams(body);
          return json(201, { name: form.get('name'), tags: form.getAll('tag') });
        }
        if (req.method === 'POST' && req.url === '/pets/priced') return json(201, { name: JSON.parse(body).name });
        if (req.url === '/pets') return json(200, { items: [] });
        if (req.url === '/pets/1') return json(200, { id: '1', name: 'Rex' });
        return json(404, {});
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test('form-urlencoded and JSON request bodies reach the provider as the pact has them (pact-js sent JSON with the old length: 400)', async () => {
    seen.length = 0;
    const r = await runProvider({ cwd: ROOT, env, pactFiles: `${FIX}/form-and-state.json`, providerUrl: url, stateHandlers: `${FIX}/states-ok.mjs` });
    expect(r.findings.filter((f) => f.level !== 'info')).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.interactions.map((i) => i.result)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(new URLSearchParams(seen.find((s) => s.path === '/pets' && s.body)!.body).getAll('tag')).toEqual(['a', 'b']);
  }, 60000);

  test('two pacts of one consumer and provider (two branches) with the same descriptions: each row and finding names its own file', async () => {
    const get = (name: unknown) => ({ description: 'get a pet', request: { method: 'GET', path: '/pets/1' }, response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: '1', name } } });
    // The verifier reads a-feature.json first; the failing interaction is in b-main.json.
    const dir = tempDir({ 'a-feature.json': pactText([get('Rex')]), 'b-main.json': pactText([get(5)]) });
    const r = await runProvider({ cwd: ROOT, env, pactFiles: dir, providerUrl: url });
    expect(r.interactions.map((i) => [path.basename(i.file!), i.result])).toEqual([
      ['a-feature.json', 'pass'],
      ['b-main.json', 'fail'],
    ]);
    const f = r.findings.find((x) => x.id === 'verification-mismatch')!;
    expect(path.basename(f.location!.file!)).toBe('b-main.json');
  }, 60000);

  test('a provider state with no handler in the module is a warning naming the state and its interactions (pact-js only logs it)', async () => {
    const r = await runProvider({ cwd: ROOT, env, pactFiles: `${FIX}/form-and-state.json`, providerUrl: url, stateHandlers: `${FIX}/states-partial.mjs` });
    const missing = r.findings.filter((x) => x.id === 'provider-state-missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ level: 'warning', location: { file: `${FIX}/form-and-state.json` }, data: { state: 'a pet exists', interactions: ['get a pet'] } });
    expect(missing[0]!.message).toContain(`No handler for provider state 'a pet exists' in ${FIX}/states-partial.mjs: the interaction 'get a pet' ran without it being set up`);
    expect(r.verdict).toBe('pass');
  }, 60000);

  test('a state handler that throws fails its interaction, naming the state and the error (pact-js only logs it)', async () => {
    seen.length = 0;
    const r = await runProvider({ cwd: ROOT, env, pactFiles: `${FIX}/form-and-state.json`, providerUrl: url, stateHandlers: `${FIX}/states-throw.mjs` });
    expect(r.verdict).toBe('fail');
    const rows = Object.fromEntries(r.interactions.map((i) => [i.description, i.result]));
    expect(rows).toEqual({ 'create a pet by form': 'pass', 'create a pet with a price': 'pass', 'list pets': 'fail', 'get a pet': 'pass' });
    const f = r.findings.find((x) => x.id === 'provider-state-failed')!;
    expect(f).toMatchObject({ level: 'error', location: { file: `${FIX}/form-and-state.json` } });
    expect(f.message).toContain("'list pets' given pets exist");
    expect(f.message).toContain(`the state handler for 'pets exist' in ${FIX}/states-throw.mjs threw: database is down`);
    // The provider was never asked in a state it was not in.
    expect(seen.some((s) => s.path === '/pets' && !s.body)).toBe(false);
    // A teardown that throws is a warning.
    expect(r.findings.find((x) => x.id === 'provider-state-teardown-failed')).toMatchObject({ level: 'warning', message: expect.stringContaining("'a pet exists'") });
  }, 60000);
});
