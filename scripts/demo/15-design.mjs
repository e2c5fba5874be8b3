// `npm run demo`: the phase-1 design gate on the example spec. The committed design bundle runs as
// the runner runs it (lib/step.mjs): once on examples/petstore/openapi.v2.yaml alone (the design
// lint: it passes), once with the PRD template as it comes (templates/PRD.md, nothing filled in:
// the Definition of Ready fails, as it should, on every placeholder left).
import path from 'node:path';
import { judged, printStep, runStep } from './lib/step.mjs';

const SPEC = 'examples/petstore/openapi.v2.yaml';
let failed = false;
for (const [title, prd, expected, annotations] of [
  [`design lint of ${SPEC}`, '', 0, 'all'],
  [`design lint of ${SPEC} and the Definition of Ready with templates/PRD.md as it comes (not filled in)`, 'templates/PRD.md', 1, 'errors'],
]) {
  console.log(`═══ design: ${title}\n`);
  const run = await runStep('design', (tmp) => ({ spec: SPEC, prd, 'result-file': path.join(tmp, 'design-result.json') }));
  printStep(run, { annotations });
  const why = run.code === 0 ? 'the gate passed' : run.code === 1 ? (prd ? 'the gate failed: the PRD is not ready (expected: the template is not filled in)' : 'the gate failed') : 'bad input';
  console.log(`\nThe step exited ${run.code}: ${why}.\n`);
  failed ||= !judged(run) || run.code !== expected;
}
process.exitCode = failed ? 1 : 0;
