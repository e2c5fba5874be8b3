// One measurement in a fresh process: `floor` reads and parses both files, `check` runs the gate.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { checkBreaking } from '../src/breaking/engine.js';

const [mode, base, rev] = process.argv.slice(2) as [string, string, string];
const t0 = performance.now();
const c0 = process.cpuUsage();
let findings = 0;
let errors = 0;
if (mode === 'floor') {
  for (const f of [base, rev]) {
    const text = readFileSync(f, 'utf8');
    if (f.endsWith('.json')) JSON.parse(text);
    else parse(text, { maxAliasCount: -1 });
  }
} else {
  const r = checkBreaking(base, rev, { failOn: 'never' });
  findings = r.findings.length;
  errors = r.findings.filter((x) => x.level === 'error').length;
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(JSON.stringify({ ms, cpuMs, rssMb: process.resourceUsage().maxRSS / 1024, findings, errors }) + '\n');
