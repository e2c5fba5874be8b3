// `npm run demo`: the feature-flag gate on the example. The committed flags bundle runs as the runner
// runs it (lib/step.mjs): phase 2's check of v1 → v2 (the new GET /pets/{id}/vaccinations names no
// flag: an error) and phase 5's stale-flag sweep of examples/petstore/flags.yaml on a fixed day.
import path from 'node:path';
import { judged, printStep, runStep } from './lib/step.mjs';

let failed = false;

console.log('═══ flags (check): new operations of examples/petstore/openapi.v1.yaml → openapi.v2.yaml and examples/petstore/flags.yaml\n');
const check = await runStep('flags', (tmp) => ({
  mode: 'check',
  base: 'examples/petstore/openapi.v1.yaml',
  revision: 'examples/petstore/openapi.v2.yaml',
  flags: 'examples/petstore/flags.yaml',
  'result-file': path.join(tmp, 'flags-check-result.json'),
}));
printStep(check);
console.log(`\nThe step exited ${check.code}: ${check.code === 1 ? 'the gate failed (a new operation names no flag)' : 'unexpected'}.\n`);
failed ||= !judged(check) || check.code !== 1;

console.log('═══ flags (stale): the register examples/petstore/flags.yaml against examples/petstore/openapi.v2.yaml as of 2026-06-01\n');
const stale = await runStep('flags', (tmp) => ({
  mode: 'stale',
  spec: 'examples/petstore/openapi.v2.yaml',
  flags: 'examples/petstore/flags.yaml',
  today: '2026-06-01',
  'result-file': path.join(tmp, 'flags-stale-result.json'),
}));
printStep(stale);
console.log(`\nThe step exited ${stale.code}: ${stale.code === 0 ? 'the gate passed (stale flags are warnings)' : 'unexpected'}.\n`);
failed ||= !judged(stale) || stale.code !== 0;

process.exitCode = failed ? 1 : 0;
