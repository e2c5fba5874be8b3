// `npm run demo`: the ASVS job on the example API. The example server starts in this process on
// 127.0.0.1; the committed action bundle runs as the GitHub runner runs it (lib/step.mjs), in mode
// both: live probes, then the checklist examples/petstore/Security-ASVS-checklist.md verified with the
// probe outcomes. A second run plants a fault (an operation that answers without credentials) to show
// the checklist row citing probe:auth failing. No network but 127.0.0.1, no GitHub.
import path from 'node:path';
import { startServer } from '../../examples/petstore/server.mjs';
import { judged, printStep, runStep } from './lib/step.mjs';

const step = (url) =>
  runStep('asvs', (tmp) => ({
    mode: 'both',
    checklist: 'examples/petstore/Security-ASVS-checklist.md',
    openapi: 'examples/petstore/openapi.v2.yaml',
    'base-url': url,
    token: 'demo-token',
    'result-file': path.join(tmp, 'asvs-result.json'),
  }));

let failed = false;
const good = await startServer({ rateLimit: { limit: 30, windowMs: 60_000 } });
const bad = await startServer({ rateLimit: { limit: 30, windowMs: 60_000 }, bugs: ['unprotected-get'] });
try {
  console.log(`═══ asvs: probe the example API at ${good.url} and verify examples/petstore/Security-ASVS-checklist.md (level 1)\n`);
  const run = await step(good.url);
  printStep(run);
  console.log(`\nThe step exited ${run.code}: ${run.code === 0 ? 'the gate passed' : run.code === 1 ? 'the gate failed' : 'bad input'}.`);
  failed ||= !judged(run);

  console.log(`\n═══ asvs: the same job against a misconfigured server (GET /pets/{id} answers without credentials) at ${bad.url}\n`);
  const broken = await step(bad.url);
  printStep({ ...broken, summary: broken.summary.slice(broken.summary.indexOf('### Live probes')) }, { annotations: 'errors', summaryTitle: 'job summary: the live probes' });
  console.log(`\nThe step exited ${broken.code}: ${broken.code === 1 ? 'the gate failed, as it should: the checklist cites probe:auth for v5.0.0-8.2.1' : 'unexpected'}.`);
  failed ||= broken.code !== 1;
  console.log(`JSON results are in ${run.tmp} and ${broken.tmp}`);
} finally {
  await good.close();
  await bad.close();
}
// The demo succeeds when both jobs ran and judged as expected; a usage error or crash fails it.
process.exitCode = failed ? 1 : 0;
