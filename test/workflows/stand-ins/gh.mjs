#!/usr/bin/env node
// A stand-in for the GitHub CLI (absent on this machine, present on every GitHub-hosted runner) that the
// local runner (../runner/) puts on PATH. It implements `gh api` only, against GITHUB_API_URL
// (the loopback GitHub stand-in a test starts), with the flags our workflows use: --method/-X,
// --input FILE|-, --jq/-q, --paginate (Link: rel="next"), -H/--header, -f/-F key=value, --silent.
// Anything else exits 1 saying so, never silently. Errors as gh gives them: the body on stdout,
// `gh: <message> (HTTP <status>)` on stderr, exit 1; no token: exit 4.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const fail = (text, code = 1) => {
  process.stderr.write(`${text}\n`);
  process.exit(code);
};

const args = process.argv.slice(2);
if (args[0] !== 'api') fail(`gh stand-in: only 'gh api' is implemented, not 'gh ${args.join(' ')}'`);
let method;
let input;
let jq;
let paginate = false;
let silent = false;
let endpoint;
const headers = {};
const fields = [];
for (let i = 1; i < args.length; i++) {
  const a = args[i];
  const next = () => {
    if (i + 1 >= args.length) fail(`gh stand-in: ${a} needs a value`);
    return args[++i];
  };
  if (a === '--method' || a === '-X') method = next().toUpperCase();
  else if (a.startsWith('--method=')) method = a.slice(9).toUpperCase();
  else if (a === '--input') input = next();
  else if (a === '--jq' || a === '-q') jq = next();
  else if (a.startsWith('--jq=')) jq = a.slice(5);
  else if (a === '--paginate') paginate = true;
  else if (a === '--silent') silent = true;
  else if (a === '-H' || a === '--header') {
    const h = next();
    const c = h.indexOf(':');
    headers[h.slice(0, c).trim().toLowerCase()] = h.slice(c + 1).trim();
  } else if (a === '-f' || a === '--raw-field' || a === '-F' || a === '--field') {
    const kv = next();
    const e = kv.indexOf('=');
    let v = kv.slice(e + 1);
    if (a === '-F' || a === '--field') v = v === 'true' ? true : v === 'false' ? false : v === 'null' ? null : /^-?\d+$/.test(v) ? Number(v) : v;
    fields.push([kv.slice(0, e), v]);
  } else if (a.startsWith('-')) fail(`gh stand-in: flag ${a} is not implemented`);
  else if (endpoint === undefined) endpoint = a;
  else fail(`gh stand-in: unexpected argument ${a}`);
}
if (!endpoint) fail('gh stand-in: no endpoint');
const token = process.env.GH_TOKEN || process.env.GITHUB_TOKEN;
if (!token) fail('gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable. Example:\n  env:\n    GH_TOKEN: ${{ github.token }}', 4);
const api = process.env.GITHUB_API_URL;
if (!api || !/^http:\/\/127\.0\.0\.1[:/]/.test(api) || api.includes('not-configured')) {
  fail(`gh stand-in: no loopback GitHub API for this run (GITHUB_API_URL=${api ?? ''}); the test must start one and pass githubApiUrl to the local runner`);
}
const repo = process.env.GITHUB_REPOSITORY ?? '';
endpoint = endpoint.replace('{owner}', repo.split('/')[0]).replace('{repo}', repo.split('/')[1]);

let body;
if (input !== undefined) body = readFileSync(input === '-' ? 0 : input);
method ??= body !== undefined || fields.length ? 'POST' : 'GET';
let url = new URL(endpoint.replace(/^\//, ''), `${api.replace(/\/+$/, '')}/`);
if (fields.length) {
  if (method === 'GET') for (const [k, v] of fields) url.searchParams.append(k, String(v));
  else if (body === undefined) body = JSON.stringify(Object.fromEntries(fields));
  else fail('gh stand-in: --input and fields together are not implemented');
}

const chunks = [];
for (;;) {
  const res = await fetch(url, {
    method,
    headers: { accept: 'application/vnd.github+json', authorization: `token ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body,
  });
  const buf = Buffer.from(await res.arrayBuffer());
  if (res.status >= 400) {
    process.stdout.write(buf);
    let message = res.statusText;
    try {
      message = JSON.parse(buf.toString('utf8')).message ?? message;
    } catch {
      // not JSON
    }
    fail(`gh: ${message} (HTTP ${res.status})`);
  }
  if (jq !== undefined) {
    const r = spawnSync('jq', ['-r', jq], { input: buf });
    if (r.error) fail(`gh stand-in: jq: ${r.error.message}`);
    if (r.status !== 0) fail(`gh: ${r.stderr.toString().trim()}`);
    chunks.push(r.stdout);
  } else chunks.push(buf);
  const link = res.headers.get('link') ?? '';
  const m = /<([^>]+)>;\s*rel="next"/.exec(link);
  if (!paginate || !m) break;
  url = new URL(m[1]);
  body = undefined;
}
if (!silent) for (const c of chunks) process.stdout.write(c);
