// `npm run demo`: the conformance job (API test plan executor) against the example API, run the way
// the GitHub runner runs the action (lib/step.mjs). The Petstore server runs in this process on
// 127.0.0.1: first as built (full mode, stateful, with the example test plan: a clean pass), then
// with planted bugs (the findings, each with the curl line that reproduces it). No other network.
import { startServer } from '../../examples/petstore/server.mjs';
import { judged, printStep, runStep } from './lib/step.mjs';

async function step(title, inputs) {
  const run = await runStep('conformance', inputs);
  console.log(`═══ conformance: ${title}\n`);
  printStep(run);
  console.log(`\nThe step exited ${run.code}: ${run.code === 0 ? 'the gate passed' : run.code === 1 ? 'the gate failed, as it should on these bugs' : 'bad input'}.\n`);
  judged(run);
  return run.code;
}

const common = { openapi: 'examples/petstore/openapi.v2.yaml', headers: 'Authorization: Bearer demo-token', seed: '1' };
const clean = await startServer({});
let codes;
try {
  const pass = await step('full mode against the example API as built (stateful, with the example test plan)', {
    ...common,
    'base-url': clean.url,
    stateful: 'true',
    'test-plan': 'examples/conformance/Test-plan.md',
  });
  await clean.close();
  const bugs = ['undocumented-status', 'wrong-type', 'enum-500', 'missing-required'];
  const bugged = await startServer({ bugs });
  try {
    const fail = await step(`full mode against a variant with planted bugs (${bugs.join(', ')})`, { ...common, 'base-url': bugged.url });
    codes = [pass, fail];
  } finally {
    await bugged.close();
  }
} finally {
  await clean.close().catch(() => {});
}
// The demo succeeds when both jobs ran and judged as expected: the clean API passes, the bugged one fails.
process.exitCode = codes && codes[0] === 0 && codes[1] === 1 ? 0 : 1;
