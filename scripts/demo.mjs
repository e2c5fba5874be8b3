// `npm run demo`: every gate's job on the bundled example, one script per gate in scripts/demo/
// (run in name order, each in its own process). Each script runs a committed bundle the way the
// runner does and prints what a user would see. No network, no GitHub, no k6.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'demo');
const only = process.argv.slice(2);
let failed = 0;
for (const f of readdirSync(dir).filter((n) => n.endsWith('.mjs')).sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  const r = spawnSync(process.execPath, [path.join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`demo ${f} failed (exit ${r.status})`);
  }
  console.log('');
}
process.exitCode = failed ? 1 : 0;
