import { tmpdir, homedir } from 'node:os';
import path from 'node:path';
import { InputError } from '../kit/errors.js';
import type { Format } from '../kit/format/index.js';
import type { GateResult } from '../kit/result.js';
import { renderPerf } from '../perf/report.js';
import { checkChecklist, judgePerf, runPerf } from '../perf/run.js';
import { DEFAULT_K6_VERSION } from '../perf/k6/install.js';
import { finish, isHelpWord, parseCommand, printHelp, reportFormat, type Out } from './command.js';

export const PERF_HELP = `api-delivery perf <judge|run|checklist> [options]

Performance gate: judge k6 results (or the built-in engine's) against a budget in k6's threshold
syntax, per endpoint, and against a baseline from an earlier run.

api-delivery perf judge --summary FILE [options]
  --summary FILE            k6 --summary-export JSON, handleSummary JSON, machine-readable summary,
                            or --out json NDJSON (streamed; .gz accepted)
  --k6-exit-code N          k6's exit code for that run (99: its thresholds failed; others explained)
  --script NAME             what produced the summary, checked against the baseline's

api-delivery perf run (--scenario FILE | --script FILE) [options]
  --engine auto|k6|builtin  auto (default): k6 for --script when it can be installed, else the
                            built-in engine for --scenario
  --script FILE             k6 script; run as k6 run --summary-export (BASE_URL in its environment)
  --scenario FILE           built-in engine scenario (YAML/JSON, see docs/perf.md)
  --base-url URL            target (overrides the scenario's baseUrl; BASE_URL for k6)
  --duration D              override the duration (30s, 1m30s…)
  --vus N                   override the virtual users
  --k6-version X.Y.Z        k6 to install when none matches on PATH (default ${DEFAULT_K6_VERSION}; never latest)
  --k6-args "ARGS"          extra k6 run arguments
  --raw-output              also keep k6's --out json stream and judge it (any percentile, any tag)
  --out-dir DIR             where summaries are written (default: a temp directory)
  --env KEY=VALUE           environment for k6 and \${VAR} in the scenario (repeatable)

Common to judge and run:
  --threshold 'METRIC:EXPR' k6 threshold, repeatable: 'http_req_duration:p(95)<300',
                            'http_req_duration{name:GET /pets}:p(99)<500', 'http_req_failed:rate<0.01'
  --budget FILE             YAML budget: thresholds (metric → list of expressions) and regression
  --baseline FILE           an earlier perf result JSON (or a k6 summary) to compare with; a file that
                            does not exist yet (first run) is reported as info and nothing is compared
  --require-baseline        make a missing --baseline file fail the gate instead
  --max-regression P        allowed growth for every budgeted aggregation, over the budget's regression
                            default (default with --baseline: the budget's, else 10%)
  --checklist FILE          also verify a filled-in Performance-checklist.md
  --fail-on error|warning|never   (default: error)
  --format FORMAT           text, json, markdown, junit, sarif or github (default: text)
  --output FILE             write the report to FILE instead of stdout

api-delivery perf checklist FILE [--fail-on …] [--format …] [--output FILE]
  Verify a filled-in templates/Performance-checklist.md: targets stated, items checked or justified.

Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage (also: k6 cannot be installed).`;

const JUDGING = {
  threshold: { type: 'string', multiple: true },
  budget: { type: 'string' },
  baseline: { type: 'string' },
  'require-baseline': { type: 'boolean' },
  'max-regression': { type: 'string' },
  checklist: { type: 'string' },
} as const;

/** The options `judge` and `run` share: how a result is judged. */
function judgingOptions(values: { threshold?: string[]; budget?: string; baseline?: string; 'require-baseline'?: boolean; 'max-regression'?: string; checklist?: string; 'fail-on'?: string }) {
  return {
    thresholds: values.threshold,
    budget: values.budget,
    baseline: values.baseline,
    requireBaseline: values['require-baseline'],
    maxRegression: values['max-regression'],
    checklist: values.checklist,
    failOn: values['fail-on'],
  };
}

export async function perfCommand(argv: string[], out: Out, err: Out = (s) => process.stderr.write(s)): Promise<number> {
  const [sub, ...rest] = argv;
  if (isHelpWord(sub)) return printHelp(out, PERF_HELP);
  let result: GateResult;
  let format: Format;
  let output: string | undefined;
  if (sub === 'judge') {
    const { values, positionals } = parseCommand(rest, { ...JUDGING, summary: { type: 'string' }, 'k6-exit-code': { type: 'string' }, script: { type: 'string' } });
    if (values.help) return printHelp(out, PERF_HELP);
    if (positionals.length > 1 || (positionals.length === 1 && values.summary)) throw new InputError(`perf judge: unexpected argument '${positionals.at(-1)}'`);
    format = reportFormat(values);
    output = values.output;
    result = await judgePerf({
      summary: values.summary ?? positionals[0] ?? '',
      ...judgingOptions(values),
      k6ExitCode: values['k6-exit-code'],
      script: values.script,
    });
  } else if (sub === 'run') {
    const { values } = parseCommand(
      rest,
      {
        ...JUDGING,
        engine: { type: 'string' },
        script: { type: 'string' },
        scenario: { type: 'string' },
        'base-url': { type: 'string' },
        duration: { type: 'string' },
        vus: { type: 'string' },
        'k6-version': { type: 'string' },
        'k6-args': { type: 'string' },
        'raw-output': { type: 'boolean' },
        'out-dir': { type: 'string' },
        env: { type: 'string', multiple: true },
      },
      false,
    );
    if (values.help) return printHelp(out, PERF_HELP);
    format = reportFormat(values);
    output = values.output;
    const env: Record<string, string> = {};
    for (const kv of values.env ?? []) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new InputError(`env: '${kv}' is not KEY=VALUE`, { field: 'env' });
      env[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const tmp = path.join(tmpdir(), `api-delivery-perf-${process.pid}`);
    const progress = process.stderr.isTTY;
    // Ctrl-C ends the built-in engine's run early; what was measured is still judged.
    const stop = new AbortController();
    const onSigint = () => {
      err('\nstopping: judging what was measured so far (Ctrl-C again to quit)\n');
      process.off('SIGINT', onSigint);
      stop.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      result = await runPerf({
        signal: stop.signal,
        engine: values.engine,
        script: values.script,
        scenario: values.scenario,
        baseUrl: values['base-url'],
        duration: values.duration,
        vus: values.vus,
        k6Version: values['k6-version'],
        k6Args: values['k6-args'],
        rawOutput: values['raw-output'] ?? false,
        env,
        ...judgingOptions(values),
        outDir: values['out-dir'] ?? tmp,
        tempDir: tmp,
        toolCacheDir: process.env.RUNNER_TOOL_CACHE || path.join(homedir(), '.cache', 'api-delivery', 'tools'),
        log: (l) => err(`${l}\n`),
        onProgress: (p) =>
          err(
            `${progress ? '\r' : ''}[${(p.elapsedMs / 1000).toFixed(0).padStart(4)}s/${p.durationMs / 1000}s] ${p.requests} requests, ${p.failed} failed, ${p.rps.toFixed(0)} req/s, ${p.vus}/${p.vusAllocated} VUs${progress ? '   ' : '\n'}`,
          ),
      });
    } finally {
      process.off('SIGINT', onSigint);
    }
    if (progress) err('\n');
  } else if (sub === 'checklist') {
    const { values, positionals } = parseCommand(rest, {});
    if (values.help) return printHelp(out, PERF_HELP);
    if (positionals.length !== 1) throw new InputError('perf checklist: expected one FILE (a filled-in Performance-checklist.md)');
    format = reportFormat(values);
    output = values.output;
    result = checkChecklist(positionals[0]!, { failOn: values['fail-on'] });
  } else {
    throw new InputError(`perf: unknown subcommand '${sub}' (judge, run or checklist; see api-delivery perf --help)`);
  }
  return finish(result, renderPerf(result, format), output, out);
}
