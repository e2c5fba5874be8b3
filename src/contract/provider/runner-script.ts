/**
 * The verification runs in a child Node process, with Pact loaded from outside our bundle (the
 * project's copy or the pinned install): a bundle cannot carry Pact's native core, a crash in
 * native code cannot take the step down with it, and the verifier's console output is captured.
 *
 * The script is kept as text so that the action bundle, the CLI bundle and the tests all write the
 * same file. Input: one argument, a JSON file { pactEntry, stateHandlers?, messages, options, resultFile }.
 * Output: resultFile = { ok, results?, message?, messageCalls, stateFailures, handlerNames? }, where
 * results is the verifier's JSON report, messageCalls what the message relay (message-relay.ts, written
 * next to it) recorded, stateFailures the state handlers that threw, and handlerNames the states the
 * state-handlers module has handlers for.
 *
 * Two things pact-js's verification proxy gets wrong are corrected here, through its requestFilter:
 * - a state handler that throws is only logged (pact-js answers the core 200), so the interaction
 *   would run against a provider not in its state and could pass. The failure is recorded, and the
 *   next request (or message) is answered 500 with the reason instead of reaching the provider, so
 *   the verifier fails that interaction and never publishes it as verified;
 * - a request body the proxy parsed (application/json, application/x-www-form-urlencoded) is
 *   forwarded re-serialised as JSON with the original Content-Length (pact-js#884): form bodies are
 *   encoded back as a form, and Content-Length is set to what is sent.
 */
export const VERIFY_RUNNER_SCRIPT = String.raw`
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { messageRelay } from './message-relay.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const messageCalls = [];
const stateFailures = [];
let handlerNames;
const write = (out) => writeFileSync(config.resultFile, JSON.stringify({ ...out, messageCalls, stateFailures, handlerNames }));
try {
  const pact = createRequire(config.pactEntry)(config.pactEntry);
  const options = { ...config.options, messageProviders: messageRelay(config.messages, messageCalls), requestFilter };
  if (config.stateHandlers) {
    const mod = await import(pathToFileURL(config.stateHandlers).href);
    const handlers = mod.stateHandlers ?? mod.default?.stateHandlers ?? mod.default;
    if (!handlers || typeof handlers !== 'object') {
      write({ ok: false, setup: true, message: config.stateHandlersShown + ': expected a module that exports stateHandlers (or a default export): an object of state name → function' });
      process.exit(0);
    }
    options.stateHandlers = wrapHandlers(handlers);
    handlerNames = Object.keys(handlers);
  }
  const verifier = new pact.Verifier(options);
  try {
    const results = await verifier.verifyProvider();
    write({ ok: true, results: parse(results) });
  } catch (e) {
    write({ ok: false, results: parse(e && e.message), message: String((e && e.message) || e) });
  }
} catch (e) {
  write({ ok: false, setup: true, message: String((e && e.stack) || e) });
}
// The native core can keep handles open after the report is written.
setTimeout(() => process.exit(0), 500).unref();
function wrapHandlers(handlers) {
  const out = {};
  for (const [name, h] of Object.entries(handlers)) {
    const fn = typeof h === 'function' ? { setup: h } : h && typeof h === 'object' ? h : {};
    const wrap = (action, f) => typeof f !== 'function' ? undefined : async (params) => {
      try {
        return await f(params);
      } catch (e) {
        const message = String((e && e.message) || e).split('\n')[0];
        stateFailures.push({ state: name, action, message });
        if (action === 'setup') globalThis.__apiDeliveryStateFailure = { state: name, message };
        throw e;
      }
    };
    out[name] = { setup: wrap('setup', fn.setup), teardown: wrap('teardown', fn.teardown) };
  }
  return out;
}
function requestFilter(req, res, next) {
  if (req.path === '/_pactSetup' || req.path === '/_messages') return next();
  const failed = globalThis.__apiDeliveryStateFailure;
  if (failed) {
    globalThis.__apiDeliveryStateFailure = undefined;
    res.status(500).type('text/plain').send("provider state '" + failed.state + "' could not be set up: " + failed.message);
    return;
  }
  const body = req.body;
  if (body && typeof body === 'object' && !Buffer.isBuffer(body) && !req.headers['transfer-encoding']) {
    const form = /^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] || ''));
    req.body = Buffer.from(form ? encodeForm(body) : JSON.stringify(body));
    req.headers['content-length'] = String(req.body.length);
  }
  next();
}
function encodeForm(value, prefix) {
  const enc = encodeURIComponent;
  const parts = [];
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? prefix + '[' + k + ']' : k;
    const items = Array.isArray(v) ? v : [v];
    for (const item of items) {
      if (item && typeof item === 'object') parts.push(encodeForm(item, Array.isArray(v) ? key + '[]' : key));
      else parts.push(enc(key) + '=' + enc(item == null ? '' : String(item)));
    }
  }
  return parts.filter(Boolean).join('&');
}
function parse(s) {
  if (typeof s !== 'string') return undefined;
  try { const v = JSON.parse(s); return v && typeof v === 'object' ? v : undefined; } catch { return undefined; }
}
`;
