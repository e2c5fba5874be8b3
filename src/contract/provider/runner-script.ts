/**
 * The verification runs in a child Node process, with Pact loaded from outside our bundle (the
 * project's copy or the pinned install): a bundle cannot carry Pact's native core, a crash in
 * native code cannot take the step down with it, and the verifier's console output is captured.
 *
 * The script is kept as text so that the action bundle, the CLI bundle and the tests all write the
 * same file. Input: one argument, a JSON file { pactEntry, stateHandlers?, messages, options, resultFile }.
 * Output: resultFile = { ok, results?, message?, messageCalls }, where results is the verifier's JSON
 * report and messageCalls what the message relay (message-relay.ts, written next to it) recorded.
 */
export const VERIFY_RUNNER_SCRIPT = String.raw`
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { messageRelay } from './message-relay.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const messageCalls = [];
const write = (out) => writeFileSync(config.resultFile, JSON.stringify({ ...out, messageCalls }));
try {
  const pact = createRequire(config.pactEntry)(config.pactEntry);
  const options = { ...config.options, messageProviders: messageRelay(config.messages, messageCalls) };
  if (config.stateHandlers) {
    const mod = await import(pathToFileURL(config.stateHandlers).href);
    const handlers = mod.stateHandlers ?? mod.default?.stateHandlers ?? mod.default;
    if (!handlers || typeof handlers !== 'object') {
      write({ ok: false, setup: true, message: config.stateHandlersShown + ': expected a module that exports stateHandlers (or a default export): an object of state name → function' });
      process.exit(0);
    }
    options.stateHandlers = handlers;
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
function parse(s) {
  if (typeof s !== 'string') return undefined;
  try { const v = JSON.parse(s); return v && typeof v === 'object' ? v : undefined; } catch { return undefined; }
}
`;
