/**
 * Message pacts in provider mode, with the real Pact verifier: a small provider on 127.0.0.1 serves
 * its HTTP API and, at /pact/messages, the message for each description the verifier asks for.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { contractCommand } from '../../src/cli/contract.js';
import { runConsumer, runProvider, type ContractInputs } from '../../src/contract/run.js';
import { InputError } from '../../src/kit/errors.js';
import { FakeBroker } from './fake-broker.js';
import { cleanTemp, freePort, ROOT, tempDir } from './helpers.js';

const env = { PATH: process.env.PATH, HOME: process.env.HOME };

// ---------------------------------------------------------------- pacts
const json = (content: unknown) => ({ contentType: 'application/json', encoded: false, content });

const V3_MESSAGES = {
  consumer: { name: 'order-listener' },
  provider: { name: 'order-service' },
  messages: [
    {
      description: 'an order created event',
      providerStates: [{ name: 'an order exists', params: { id: 'o-1' } }],
      contents: { id: 'o-1', total: 42 },
      metadata: { contentType: 'application/json', topic: 'orders' },
      matchingRules: { body: { '$.total': { matchers: [{ match: 'integer' }] } } },
    },
    // Expects an empty body: before messages were verified, this one passed without asking anybody.
    { description: 'a heartbeat event', contents: {}, metadata: { contentType: 'application/json' } },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};

const V4_MIXED = {
  consumer: { name: 'order-web' },
  provider: { name: 'order-service' },
  interactions: [
    {
      type: 'Synchronous/HTTP',
      description: 'a request for order o-2',
      request: { method: 'GET', path: '/orders/o-2' },
      response: { status: 200, headers: { 'Content-Type': ['application/json'] }, body: json({ id: 'o-2', status: 'shipped' }) },
    },
    {
      type: 'Asynchronous/Messages',
      description: 'an order shipped event',
      providerStates: [{ name: 'order o-2 was shipped' }],
      contents: json({ id: 'o-2', status: 'shipped' }),
      metadata: { contentType: 'application/json' },
    },
    {
      type: 'Synchronous/Messages',
      description: 'a price quote',
      request: { contents: json({ sku: 'A1' }), metadata: { contentType: 'application/json' } },
      response: [{ contents: json({ sku: 'A1', price: 10 }), metadata: { contentType: 'application/json' } }],
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

// ---------------------------------------------------------------- the provider
type Behaviour = 'right' | 'wrong';
let behaviour: Behaviour = 'right';
const messageRequests: Record<string, any>[] = [];
let provider: Server;
let base: string;

const metadataHeader = (m: object) => Buffer.from(JSON.stringify(m)).toString('base64');

/** The message the provider would publish for a description, as its message endpoint answers it. */
function message(req: Record<string, any>): { status: number; headers: Record<string, string>; body: string } {
  const wrong = behaviour === 'wrong';
  const asJson = (body: unknown, metadata?: object) => ({
    status: 200,
    headers: { 'content-type': 'application/json', ...(metadata ? { 'pact-message-metadata': metadataHeader(metadata) } : {}) },
    body: JSON.stringify(body),
  });
  switch (req.description) {
    case 'an order created event':
      return asJson({ id: 'o-1', total: wrong ? 'forty-two' : 42 }, { contentType: 'application/json', topic: wrong ? 'order-events' : 'orders' });
    case 'a heartbeat event':
      return asJson({});
    case 'an order shipped event':
      return asJson({ id: 'o-2', status: wrong ? 'lost' : 'shipped' });
    case 'a price quote':
      return asJson({ sku: req.request?.contents?.content?.sku, price: 10 });
    default:
      return { status: 404, headers: { 'content-type': 'text/plain' }, body: `no message is called ${req.description}` };
  }
}

beforeAll(async () => {
  provider = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/healthz') return res.writeHead(200).end('ok');
      if (req.method === 'GET' && req.url === '/orders/o-2') {
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'o-2', status: 'shipped' }));
      }
      if (req.method === 'POST' && req.url === '/pact/messages') {
        const parsed = JSON.parse(body) as Record<string, any>;
        messageRequests.push({ ...parsed, authorization: req.headers.authorization });
        const m = message(parsed);
        return res.writeHead(m.status, m.headers).end(m.body);
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((ok) => provider.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
});
afterAll(async () => {
  cleanTemp();
  await new Promise((ok) => provider.close(ok));
});
beforeEach(() => {
  behaviour = 'right';
  messageRequests.length = 0;
});

function pactFile(pact: object, name = 'pact.json'): string {
  return path.join(tempDir({ [name]: JSON.stringify(pact, null, 2) + '\n' }), name);
}

function verify(pact: object, extra: ContractInputs = {}) {
  return runProvider({ cwd: ROOT, env, pactFiles: pactFile(pact), providerUrl: base, readyUrl: `${base}/healthz`, ...extra });
}

const messagesUrl = () => `${base}/pact/messages`;
const rows = (r: { interactions: { description: string; result: string }[] }) => Object.fromEntries(r.interactions.map((i) => [i.description, i.result]));

// ---------------------------------------------------------------- tests
describe('message pacts verified through provider-messages-url', () => {
  test('a v3 message pact passes when the provider produces the messages; the endpoint gets each description with its provider states', async () => {
    const r = await verify(V3_MESSAGES, { providerMessagesUrl: messagesUrl() });
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(rows(r)).toEqual({ 'an order created event': 'pass', 'a heartbeat event': 'pass' });
    expect(r.metrics).toMatchObject({ interactions: 2, passed: 2, messages: 2, 'not verified': 0 });
    expect(messageRequests.map((m) => m.description).sort()).toEqual(['a heartbeat event', 'an order created event']);
    expect(messageRequests.find((m) => m.description === 'an order created event')).toMatchObject({
      providerStates: [{ name: 'an order exists', params: { id: 'o-1' } }],
    });
  });

  test('a message that does not match fails, naming the interaction, the body field and the metadata, at its line in the pact', async () => {
    behaviour = 'wrong';
    const file = pactFile(V3_MESSAGES);
    const r = await runProvider({ cwd: ROOT, env, pactFiles: file, providerUrl: base, providerMessagesUrl: messagesUrl() });
    expect(r.verdict).toBe('fail');
    const errors = r.findings.filter((f) => f.level === 'error');
    expect(errors).toHaveLength(1);
    const f = errors[0]!;
    expect(f).toMatchObject({ id: 'verification-mismatch', data: expect.objectContaining({ interaction: 'an order created event', message: true }) });
    expect(f.message).toMatch(/^order-listener → order-service, 'an order created event' given an order exists: /);
    expect(f.message).toMatch(/\$\.total: Expected 'forty-two' \(String\) to be an integer/);
    expect(f.message).toMatch(/topic/);
    expect(f.location!.file).toBe(file);
    expect(readFileSync(file, 'utf8').split('\n').slice(f.location!.line! - 1, f.location!.line! + 3).join('\n')).toContain('"description": "an order created event"');
    expect(rows(r)).toEqual({ 'an order created event': 'fail', 'a heartbeat event': 'pass' });
  });

  test('provider-headers reach the message endpoint too', async () => {
    const r = await verify(V3_MESSAGES, { providerMessagesUrl: messagesUrl(), providerHeaders: 'Authorization: Bearer test-user' });
    expect(r.verdict).toBe('pass');
    expect(messageRequests.map((m) => m.authorization)).toEqual(['Bearer test-user', 'Bearer test-user']);
  });

  test('an endpoint that does not know the message is an error with its answer, never a pass (even for an empty expected body)', async () => {
    const pact = { ...V3_MESSAGES, messages: [{ ...V3_MESSAGES.messages[1]!, description: 'a message nobody sends', contents: {} }] };
    const r = await verify(pact, { providerMessagesUrl: messagesUrl() });
    expect(r.verdict).toBe('fail');
    expect(r.findings).toEqual([
      expect.objectContaining({
        id: 'message-endpoint-error',
        level: 'error',
        message: `order-listener → order-service, 'a message nobody sends': the message endpoint failed: ${messagesUrl()} answered HTTP 404: no message is called a message nobody sends`,
      }),
    ]);
    expect(rows(r)).toEqual({ 'a message nobody sends': 'fail' });
  });

  test('an endpoint that cannot be reached fails every message with the reason', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}/pact/messages`;
    const r = await verify(V3_MESSAGES, { providerMessagesUrl: nobody });
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => f.id)).toEqual(['message-endpoint-error', 'message-endpoint-error']);
    expect(r.findings[0]!.message).toContain(`${nobody} could not be reached (ECONNREFUSED)`);
  });
});

describe('message interactions without provider-messages-url', () => {
  test('they are not verified, and the gate says so and fails: how many, which ones, which option to set', async () => {
    const r = await verify(V3_MESSAGES);
    expect(r.verdict).toBe('fail');
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f).toMatchObject({ id: 'messages-not-verified', level: 'error' });
    expect(f.message).toBe(
      "2 message interactions were not verified (order-listener: 'an order created event', order-listener: 'a heartbeat event'): " +
        "Pact asks the provider for each message through an HTTP endpoint of the provider's test setup; " +
        'set provider-messages-url (CLI: --provider-messages-url) to that endpoint',
    );
    expect(rows(r)).toEqual({ 'an order created event': 'not-verified', 'a heartbeat event': 'not-verified' });
    expect(r.metrics).toMatchObject({ passed: 0, failed: 0, messages: 2, 'not verified': 2 });
    expect(messageRequests).toEqual([]);
  });

  test('fail-on never keeps the finding but passes', async () => {
    const r = await verify(V3_MESSAGES, { failOn: 'never' });
    expect(r.verdict).toBe('pass');
    expect(r.findings.map((f) => f.id)).toEqual(['messages-not-verified']);
  });
});

describe('a v4 pact that mixes HTTP, asynchronous and synchronous messages', () => {
  test('with provider-messages-url every interaction is verified; the synchronous message gets its request', async () => {
    const r = await verify(V4_MIXED, { providerMessagesUrl: messagesUrl() });
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(rows(r)).toEqual({ 'a request for order o-2': 'pass', 'an order shipped event': 'pass', 'a price quote': 'pass' });
    expect(r.metrics).toMatchObject({ interactions: 3, passed: 3, messages: 2 });
    expect(messageRequests.find((m) => m.description === 'a price quote')).toMatchObject({ request: { contents: { content: { sku: 'A1' } } } });
  });

  test('a wrong message fails only that interaction', async () => {
    behaviour = 'wrong';
    const r = await verify(V4_MIXED, { providerMessagesUrl: messagesUrl() });
    expect(r.verdict).toBe('fail');
    expect(rows(r)).toEqual({ 'a request for order o-2': 'pass', 'an order shipped event': 'fail', 'a price quote': 'pass' });
    expect(r.findings.filter((f) => f.level === 'error').map((f) => [f.id, f.data?.interaction])).toEqual([['verification-mismatch', 'an order shipped event']]);
    expect(r.findings[0]!.message).toMatch(/\$\.status: Expected 'lost' \(String\) to be equal to 'shipped' \(String\)/);
  });

  test('without it the HTTP interaction is still verified and the two messages are reported as not verified', async () => {
    const r = await verify(V4_MIXED);
    expect(r.verdict).toBe('fail');
    expect(rows(r)).toEqual({ 'a request for order o-2': 'pass', 'an order shipped event': 'not-verified', 'a price quote': 'not-verified' });
    expect(r.findings.map((f) => [f.id, f.level])).toEqual([['messages-not-verified', 'error']]);
    expect(r.findings[0]!.message).toMatch(/^2 message interactions were not verified \(order-web: 'an order shipped event', order-web: 'a price quote'\)/);
  });
});

describe('pacts from a broker: messages are known only when the verifier asks for them', () => {
  const broker = new FakeBroker();
  beforeAll(async () => {
    await broker.start();
    const published = await runConsumer({ cwd: ROOT, env, pactFiles: pactFile(V4_MIXED), brokerUrl: broker.url, brokerToken: broker.token, ci: { eventName: 'push', sha: 'c1', ref: 'refs/heads/main' } });
    expect(published.verdict).toBe('pass');
  });
  afterAll(() => broker.stop());
  const fromBroker = (extra: ContractInputs = {}) =>
    runProvider({ cwd: ROOT, env, brokerUrl: broker.url, brokerToken: broker.token, provider: 'order-service', providerUrl: base, readyUrl: `${base}/healthz`, ...extra });

  test('a pending pact (never verified yet) with unverified messages: a warning, the build passes', async () => {
    const r = await fromBroker();
    expect(r.verdict).toBe('pass');
    expect(rows(r)).toEqual({ 'a request for order o-2': 'pass', 'an order shipped event': 'not-verified', 'a price quote': 'not-verified' });
    expect(r.findings.map((f) => [f.id, f.level])).toEqual([['messages-not-verified', 'warning']]);
  });

  test('a pact URL (not pending): the unverified messages fail the gate; with the endpoint they pass', async () => {
    const pactUrl = `${broker.url}/pacts/provider/order-service/consumer/order-web/pact-version/${broker.publications[0]!.sha}`;
    const missing = await fromBroker({ brokerUrl: '', pactFiles: pactUrl });
    expect(missing.verdict).toBe('fail');
    expect(missing.findings.map((f) => [f.id, f.level])).toEqual([['messages-not-verified', 'error']]);
    expect(missing.metrics).toMatchObject({ messages: 2, 'not verified': 2 });
    const verified = await fromBroker({ brokerUrl: '', pactFiles: pactUrl, providerMessagesUrl: messagesUrl() });
    expect(verified.findings).toEqual([]);
    expect(verified.verdict).toBe('pass');
    expect(verified.metrics).toMatchObject({ passed: 3, messages: 2, 'not verified': 0 });
  });
});

describe('api-delivery contract verify --provider-messages-url', () => {
  async function cli(argv: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const code = await contractCommand(argv, (s) => (out += s), env);
    return { code, out };
  }

  test('exit 0 when the messages match, 1 when they are not verified; the JSON report says why', async () => {
    const file = pactFile(V4_MIXED);
    const ok = await cli(['verify', '--pact', file, '--provider-url', base, '--provider-messages-url', messagesUrl(), '--format', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ verdict: 'pass', metrics: { messages: 2, 'not verified': 0 } });
    const missing = await cli(['verify', '--pact', file, '--provider-url', base, '--format', 'json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out).findings).toEqual([expect.objectContaining({ id: 'messages-not-verified', level: 'error' })]);
  });

  test('the markdown report marks unverified messages in the interaction table', async () => {
    const md = await cli(['verify', '--pact', pactFile(V4_MIXED), '--provider-url', base, '--format', 'markdown']);
    expect(md.out).toMatch(/\| order-web \| an order shipped event \| order o-2 was shipped \| ⚠️ not verified \(message: set provider-messages-url\)/);
  });

  test('a provider-messages-url that is not an http(s) URL is bad input (exit 2) naming the option', async () => {
    const e = await cli(['verify', '--pact', pactFile(V3_MESSAGES), '--provider-url', base, '--provider-messages-url', 'ftp://127.0.0.1/m']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe("provider-messages-url: 'ftp://127.0.0.1/m' is not an http(s) URL");
  });

  test('--help documents the option', async () => {
    expect((await cli(['--help'])).out).toMatch(/--provider-messages-url URL[\s\S]*Pact-Message-Metadata/);
  });
});
