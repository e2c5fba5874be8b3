// `npm run demo`: the performance job on the example Petstore. The server starts in this process on
// 127.0.0.1; the committed action bundle runs the built-in load engine against it the way the GitHub
// runner runs a step (lib/step.mjs). Run 1 is healthy and becomes the baseline; run 2 hits the same
// server with its 'slow' fault planted and is judged against the budget and that baseline.
// No network beyond loopback, no k6.
import path from 'node:path';
import { startServer } from '../../examples/petstore/server.mjs';
import { judged, printStep, runStep } from './lib/step.mjs';

const inputs = {
  scenario: 'examples/perf/petstore.scenario.yaml',
  budget: 'examples/perf/budget.yaml',
  checklist: 'examples/perf/Performance-checklist.md',
  duration: '3s',
  env: 'PETSTORE_TOKEN=demo-token',
};
const progress = (text) => {
  for (const line of text.split('\n')) if (/^(built-in engine|\[\d+s\/)/.test(line)) console.log(`  ${line}`);
};
const step = (more) => runStep('perf', (tmp) => ({ ...inputs, ...more, 'result-file': path.join(tmp, 'perf-result.json') }), { onStdout: progress });

const healthy = await startServer({});
console.log(`═══ perf (1/2): built-in engine, 80 requests/s for 3 s against the example server on ${healthy.url}\n`);
const first = await step({ 'base-url': healthy.url });
await healthy.close();
printStep(first);
console.log(`\nThe step exited ${first.code}${first.code === 0 ? ': within budget' : ''}. Its result file is the baseline for the next run.\n`);

const slow = await startServer({ bugs: ['slow'] });
console.log(`═══ perf (2/2): the same load against the server with its 'slow' fault (200 ms per answer), judged against budget and baseline\n`);
const second = await step({ 'base-url': slow.url, baseline: path.join(first.tmp, 'perf-result.json') });
await slow.close();
printStep(second);
console.log(`\nThe step exited ${second.code}${second.code === 1 ? ': the gate failed, as it should on a 200 ms regression' : ''}.`);
// The demo succeeds when both jobs ran and judged (0 or 1); a usage error (2) or crash fails it.
process.exitCode = judged(first) && judged(second) ? 0 : 1;
