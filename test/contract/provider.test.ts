/**
 * End to end with real Pact: the example consumer's Pact tests run in their own process and write
 * a pact; the example Petstore server is started as the provider on 127.0.0.1 and verified with
 * the project's @pact-foundation/pact; planted server bugs must fail with the mismatch.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runConsumer, runProvider, type ContractInputs } from '../../src/contract/run.js';
import { InputError } from '../../src/kit/errors.js';
import { FakeBroker } from './fake-broker.js';
import { cleanTemp, EXAMPLE_PACT, freePort, ROOT, tempDir, startPetstore } from './helpers.js';

const STATES = 'examples/petstore/provider/states.mjs';
let pactDir: string;
let pactFile: string;
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

beforeAll(async () => {
  pactDir = tempDir();
  // The consumer's own test command, in its own process (never in this jest run: Pact's consumer
  // and verifier would race on the pact file).
  const r = await runConsumer({
    cwd: ROOT,
    env: { ...env, PACT_OUTPUT_DIR: pactDir },
    consumerCommand: 'node --test examples/petstore/consumer/pact.test.mjs',
    pactFiles: pactDir,
  });
  expect(r.verdict).toBe('pass');
  pactFile = path.join(pactDir, 'petstore-web-petstore-api.json');
}, 120000);
afterAll(cleanTemp);

/** Running, not a zombie: in a container without an init process, a killed grandchild stays a zombie. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function rejection(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an error');
}

async function verifyWithCommand(bugs: string[] = [], extra: ContractInputs = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return runProvider({
    cwd: ROOT,
    env,
    pactFiles: pactFile,
    providerUrl: url,
    providerCommand: `node examples/petstore/server.mjs --port ${port}${bugs.map((b) => ` --bug ${b}`).join('')}`,
    readyUrl: `${url}/healthz`,
    stateHandlers: STATES,
    ...extra,
  });
}

describe('the consumer tests', () => {
  test('write the pact that is committed as the example (regenerated here, same interactions)', () => {
    const generated = JSON.parse(readFileSync(pactFile, 'utf8'));
    const committed = JSON.parse(readFileSync(path.join(ROOT, EXAMPLE_PACT), 'utf8'));
    expect(generated.consumer).toEqual(committed.consumer);
    expect(generated.provider).toEqual(committed.provider);
    expect(generated.interactions).toEqual(committed.interactions);
  });

  test('a failing consumer test command fails the gate with its output, and publishes nothing', async () => {
    const r = await runConsumer({ cwd: ROOT, env, consumerCommand: 'node -e "console.log(\'1 failing\'); process.exit(1)"', pactFiles: pactDir, brokerUrl: 'http://127.0.0.1:9' });
    expect(r.verdict).toBe('fail');
    expect(r.findings).toEqual([expect.objectContaining({ id: 'consumer-tests-failed', level: 'error' })]);
    expect(r.findings[0]!.message).toMatch(/exit 1[\s\S]*1 failing/);
  });
});

describe('provider verification against the example server (state handlers module)', () => {
  test('the correct provider passes; one row per interaction with its state', async () => {
    const r = await verifyWithCommand();
    expect(r.verdict).toBe('pass');
    expect(r.findings).toEqual([]);
    expect(r.interactions.map((i) => [i.description, i.state, i.result]).sort()).toEqual([
      ['a request for a pet that does not exist', 'no pet exists', 'pass'],
      ['a request for pet pet-1', 'a pet exists', 'pass'],
      ['a request to create a pet', '', 'pass'],
      ['a request to list dogs', 'pets exist', 'pass'],
    ]);
    expect(r.metrics).toMatchObject({ interactions: 4, passed: 4, failed: 0 });
  });

  test('wrong-type: fails, and the mismatch names the field, the interaction and its line in the pact', async () => {
    const r = await verifyWithCommand(['wrong-type']);
    expect(r.verdict).toBe('fail');
    const one = r.findings.find((f) => f.data?.interaction === 'a request for pet pet-1')!;
    expect(one).toMatchObject({ id: 'verification-mismatch', level: 'error', operation: 'GET /pets/pet-1' });
    expect(one.message).toMatch(/'a request for pet pet-1' given a pet exists: \$\.name: Expected 42 \(Integer\) to be the same type as 'Rex' \(String\)/);
    expect(one.location!.file).toBe(pactFile);
    const lines = readFileSync(pactFile, 'utf8').split('\n');
    expect(lines.slice(one.location!.line!, one.location!.line! + 60).join('\n')).toContain('"description": "a request for pet pet-1"');
    expect(r.interactions.find((i) => i.description === 'a request for pet pet-1')).toMatchObject({ result: 'fail', detail: expect.stringContaining('$.name') });
    // The provider's own output is kept for the reader.
    expect(r.findings.find((f) => f.id === 'provider-log')!.message).toMatch(/bugs: wrong-type/);
  });

  test('missing-required: fails on the missing status', async () => {
    const r = await verifyWithCommand(['missing-required']);
    expect(r.verdict).toBe('fail');
    expect(r.findings.filter((f) => f.level === 'error').map((f) => f.message).join('\n')).toMatch(/missing the following keys: status/);
    expect(r.interactions.filter((i) => i.result === 'fail')).toHaveLength(3);
  });
});

describe('provider states through a state-change URL', () => {
  let server: { url: string; close(): Promise<void> };
  let states: Server;
  const calls: unknown[] = [];
  let statesUrl: string;
  beforeAll(async () => {
    server = await startPetstore({ port: 0 });
    states = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        calls.push(JSON.parse(body || '{}'));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((ok) => states.listen(0, '127.0.0.1', ok));
    statesUrl = `http://127.0.0.1:${(states.address() as AddressInfo).port}/provider-states`;
  });
  afterAll(async () => {
    await server.close();
    await new Promise((ok) => states.close(ok));
  });

  test('the verifier posts each state with its params before the interaction (an already running provider)', async () => {
    const r = await runProvider({ cwd: ROOT, env, pactFiles: pactFile, providerUrl: server.url, providerStatesUrl: statesUrl });
    expect(r.verdict).toBe('pass');
    expect(calls).toContainEqual(expect.objectContaining({ state: 'a pet exists', params: { id: 'pet-1' }, action: 'setup' }));
    expect(calls).toContainEqual(expect.objectContaining({ state: 'no pet exists', params: { id: 'pet-999' } }));
  });

  test('both a URL and a handlers module is refused', async () => {
    expect((await rejection(runProvider({ cwd: ROOT, env, pactFiles: pactFile, providerUrl: server.url, providerStatesUrl: statesUrl, stateHandlers: STATES }))).message).toMatch(
      /give one way to set up provider states/,
    );
  });

  test('a handlers module without handlers is refused with its name', async () => {
    const d = tempDir({ 'states.mjs': 'export const nothing = 1;\n' });
    const e = await rejection(runProvider({ cwd: ROOT, env, pactFiles: pactFile, providerUrl: server.url, stateHandlers: path.join(d, 'states.mjs') }));
    expect(e.message).toMatch(/states\.mjs: expected a module that exports stateHandlers/);
  });
});

describe('a provider that does not come up', () => {
  test('never ready: a bounded wait, then a timeout error with the log tail; the process is stopped', async () => {
    const d = tempDir();
    const pidFile = path.join(d, 'pid');
    const port = await freePort();
    const e = await rejection(
      runProvider({
        cwd: d,
        env,
        pactFiles: pactFile,
        providerUrl: `http://127.0.0.1:${port}`,
        providerCommand: `node -e "require('fs').writeFileSync('${pidFile}', String(process.pid)); console.log('booting the petstore...'); setInterval(() => {}, 1000)"`,
        readyTimeout: '1',
      }),
    );
    expect(e.message).toMatch(new RegExp(`^ready-url: the provider did not become ready: http://127\\.0\\.0\\.1:${port} did not answer within 1 s`));
    expect(e.message).toMatch(/Last lines of the provider's output:\nbooting the petstore\.\.\./);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isRunning(pid)).toBe(false);
  });

  test('exits at start: the error says so at once, with what it wrote', async () => {
    const port = await freePort();
    const e = await rejection(
      runProvider({ cwd: ROOT, env, pactFiles: pactFile, providerUrl: `http://127.0.0.1:${port}`, providerCommand: 'node -e "console.error(\'EADDRINUSE\'); process.exit(3)"', readyTimeout: '30' }),
    );
    expect(e.message).toMatch(/^provider-command: 'node -e .*' exited \(code 3\) before http:\/\/127\.0\.0\.1:\d+ answered\nLast lines of the provider's output:\nEADDRINUSE/);
  });

  test('no command and nothing listening: a timeout error', async () => {
    const port = await freePort();
    const e = await rejection(runProvider({ cwd: ROOT, env, pactFiles: pactFile, providerUrl: `http://127.0.0.1:${port}`, readyTimeout: '0.5' }));
    expect(e.message).toMatch(/did not answer within 0\.5 s \(last attempt: ECONNREFUSED\): is the provider running\?/);
  });
});

describe('verifying pacts from the broker (selectors, pending, WIP, results)', () => {
  const broker = new FakeBroker();
  let server: { url: string; close(): Promise<void> };
  let broken: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    await broker.start();
    server = await startPetstore({ port: 0 });
    broken = await startPetstore({ port: 0, bugs: ['wrong-type'] });
  });
  afterAll(async () => {
    await broker.stop();
    await server.close();
    await broken.close();
  });
  const brokerInputs = () => ({ cwd: ROOT, env, brokerUrl: broker.url, brokerToken: broker.token, stateHandlers: STATES, provider: 'petstore-api' });

  test('a pending pact that fails is reported but does not fail the build; its result is published', async () => {
    await runConsumer({ ...brokerInputs(), pactFiles: pactFile, ci: { eventName: 'push', sha: 'c0ffee', ref: 'refs/heads/main' } });
    broker.requests = [];
    const r = await runProvider({ ...brokerInputs(), providerUrl: broken.url, publishResults: 'true', version: 'p-broken', branch: 'feature/x' });
    expect(r.verdict).toBe('pass');
    expect(r.interactions.filter((i) => i.result === 'pending').length).toBeGreaterThan(0);
    expect(r.findings.filter((f) => f.level === 'warning').map((f) => f.message).join('\n')).toMatch(/pending pact: does not fail the build/);
    const sent = broker.requests.find((x) => x.path.endsWith('/for-verification') && x.method === 'POST')!;
    expect(sent.body).toMatchObject({ consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }], includePendingStatus: true, providerVersionBranch: 'feature/x' });
    expect(broker.verifications).toEqual([expect.objectContaining({ provider: 'petstore-api', providerVersion: 'p-broken', success: false })]);
  });

  test('the correct provider verifies it, publishes success under its version and branch; the pact is no longer pending', async () => {
    broker.requests = [];
    const r = await runProvider({ ...brokerInputs(), providerUrl: server.url, publishResults: 'true', version: 'p-good', branch: 'main', consumerVersionSelectors: '[{"mainBranch": true}]' });
    expect(r.verdict).toBe('pass');
    expect(r.interactions.every((i) => i.result === 'pass')).toBe(true);
    expect(broker.verifications.at(-1)).toMatchObject({ providerVersion: 'p-good', success: true });
    expect(broker.calls()).toContain('PUT /pacticipants/petstore-api/branches/main/versions/p-good');
    broker.requests = [];
    const again = await runProvider({ ...brokerInputs(), providerUrl: broken.url, consumerVersionSelectors: '[{"mainBranch": true}]' });
    expect(again.verdict).toBe('fail');
    expect(again.interactions.some((i) => i.result === 'fail')).toBe(true);
  });

  test('WIP pacts from feature branches are included as pending when asked', async () => {
    const d = tempDir();
    const wip = JSON.parse(readFileSync(pactFile, 'utf8'));
    wip.interactions = wip.interactions.filter((i: { description: string }) => i.description === 'a request for pet pet-1');
    writeFileSync(path.join(d, 'wip.json'), JSON.stringify(wip, null, 2));
    await runConsumer({ ...brokerInputs(), cwd: d, pactFiles: 'wip.json', ci: { eventName: 'pull_request', sha: 'm', headSha: 'wip1', headRef: 'feature/new' } });
    broker.requests = [];
    const r = await runProvider({ ...brokerInputs(), providerUrl: broken.url, consumerVersionSelectors: '[{"mainBranch": true}]', includeWipPactsSince: '2020-01-01' });
    expect(broker.requests.find((x) => x.method === 'POST' && x.path.endsWith('/for-verification'))!.body).toMatchObject({ includeWipPactsSince: '2020-01-01' });
    // The main-branch pact fails for real; the WIP pact's failure is pending.
    expect(r.verdict).toBe('fail');
    expect(r.interactions.some((i) => i.result === 'pending')).toBe(true);
  });

  test('a pact URL (what a broker webhook sends): fetched with the token, verified, result published', async () => {
    const pub = broker.publications[0]!;
    const pactUrl = `${broker.url}/pacts/provider/petstore-api/consumer/petstore-web/pact-version/${pub.sha}`;
    broker.requests = [];
    const r = await runProvider({ ...brokerInputs(), brokerUrl: '', pactFiles: pactUrl, providerUrl: server.url, publishResults: 'false' });
    expect(r.verdict).toBe('pass');
    expect(broker.requests.map((x) => `${x.method} ${x.path}`)).toEqual([`GET /pacts/provider/petstore-api/consumer/petstore-web/pact-version/${pub.sha}`]);
    expect(broker.requests[0]!.auth).toBe(`Bearer ${broker.token}`);
  });

  test('PACT_BROKER_* in the environment does not change what is verified', async () => {
    broker.requests = [];
    const r = await runProvider({ cwd: ROOT, env: { ...env, PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: broker.token }, pactFiles: pactFile, providerUrl: server.url, stateHandlers: STATES });
    expect(r.verdict).toBe('pass');
    expect(broker.requests).toEqual([]);
  });

  test('bad selectors are an input error naming the key', async () => {
    const e = await rejection(runProvider({ ...brokerInputs(), providerUrl: server.url, consumerVersionSelectors: '[{"mainbranch": true}]' }));
    expect(e.message).toMatch(/^consumer-version-selectors\[0\]: unknown key 'mainbranch'/);
  });

  test('a broker that refuses the token: the verification fails with the reason, never a pass', async () => {
    const r = await runProvider({ ...brokerInputs(), brokerToken: 'wrong', providerUrl: server.url });
    expect(r.verdict).toBe('fail');
    expect(r.findings[0]!.message).toMatch(/401|Unauthorized|unauthori[sz]ed/i);
  });
});
