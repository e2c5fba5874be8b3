// `npm run demo`: the contract gate, run the way the GitHub runner runs the action (lib/step.mjs):
//   1. compare: the example consumer's pact against examples/petstore/openapi.v2.yaml (no broker)
//   2. provider: the example server started on 127.0.0.1 and verified with real Pact, then the same
//      server with a planted bug (wrong-type) to show a failing verification.
// No network but 127.0.0.1, no broker, no GitHub.
import { createServer } from 'node:net';
import { printStep, runStep } from './lib/step.mjs';

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let broken = false;
async function step(title, inputs, expected) {
  console.log(`═══ contract: ${title}\n`);
  const run = await runStep('contract', inputs);
  printStep(run);
  console.log(`\nThe step exited ${run.code} (${run.code === 0 ? 'pass' : run.code === 1 ? 'the gate failed' : 'bad input'}); expected ${expected}.\n`);
  if (run.code !== expected) {
    broken = true;
    console.error(run.stdout.split('\n').slice(-20).join('\n'), run.stderr);
  }
}

await step('compare — the example pact vs examples/petstore/openapi.v2.yaml', {
  mode: 'compare',
  'pact-files': 'examples/petstore/consumer/pacts',
  openapi: 'examples/petstore/openapi.v2.yaml',
}, 0);

for (const bug of ['', 'wrong-type']) {
  const port = await freePort();
  await step(`provider — verify the example server on 127.0.0.1:${port}${bug ? ` with the planted bug '${bug}'` : ''}`, {
    mode: 'provider',
    'pact-files': 'examples/petstore/consumer/pacts',
    'provider-url': `http://127.0.0.1:${port}`,
    'provider-command': `node examples/petstore/server.mjs --port ${port}${bug ? ` --bug ${bug}` : ''}`,
    'ready-url': `http://127.0.0.1:${port}/healthz`,
    'state-handlers': 'examples/petstore/provider/states.mjs',
  }, bug ? 1 : 0);
}
// The demo succeeds when every job ran and judged as expected.
process.exitCode = broken ? 1 : 0;
