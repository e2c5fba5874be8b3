// Bundle every entry with ncc into dist/<name>/index.js (committed; CI rebuilds and compares).
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// The CLI, the umbrella action, and one bundle per gate action: every src/actions/<gate>.ts
// (adapters' shared code lives in src/actions/lib/ and src/actions/<gate>-action.ts).
export const ENTRIES = { cli: 'src/cli/index.ts', umbrella: 'src/actions/umbrella.ts' };
for (const f of readdirSync('src/actions').sort()) {
  const m = /^([a-z0-9-]+)\.ts$/.exec(f);
  if (m && !m[1].endsWith('-action') && m[1] !== 'umbrella') ENTRIES[m[1]] = `src/actions/${f}`;
}

const only = process.argv.slice(2);
const ncc = path.resolve('node_modules/@vercel/ncc/dist/ncc/cli.js');
for (const [name, entry] of Object.entries(ENTRIES)) {
  if (only.length && !only.includes(name)) continue;
  const out = `dist/${name}`;
  const tmp = `dist/.${name}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  // Built aside and swapped in, so a failed build leaves the committed bundle in place.
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', tmp, '--source-map', '--license', 'licenses.txt', '--quiet'], { stdio: 'inherit' });
  rmSync(out, { recursive: true, force: true });
  renameSync(tmp, out);
  const file = `${out}/index.js`;
  if (name === 'cli') {
    const text = readFileSync(file, 'utf8');
    if (!text.startsWith('#!')) writeFileSync(file, '#!/usr/bin/env node\n' + text);
    chmodSync(file, 0o755);
  }
  console.log(`built ${file}`);
}
