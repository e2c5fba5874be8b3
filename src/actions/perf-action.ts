import * as core from '@actions/core';
import path from 'node:path';
import { InputError } from '../kit/errors.js';
import type { PerfResult } from '../perf/judge.js';
import { tableMarkdown } from '../perf/report.js';
import { judgePerf, runPerf } from '../perf/run.js';
import { publishResult, runAction } from './lib/report.js';
import { workspaceRelative } from './lib/annotation-paths.js';

/** Every input action.yml declares; the adapter test checks the two lists match. */
export const PERF_INPUTS = [
  'script', 'scenario', 'engine', 'k6-version', 'k6-args', 'k6-download-base', 'raw-output', 'base-url', 'duration', 'vus', 'env',
  'summary', 'k6-exit-code', 'thresholds', 'budget', 'baseline', 'require-baseline', 'max-regression', 'checklist', 'fail-on', 'working-directory',
  'result-file', 'sarif-file',
] as const;

/** `KEY=VALUE` lines (the `env` input); blank lines and `#` comments are skipped. */
export function parseEnvLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, eq).trim())) throw new InputError(`env: line ${i + 1} is not KEY=VALUE`, { field: 'env' });
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}

/** The perf gate as a step: judge a summary, or run k6 / the built-in engine and judge its result. */
export function runPerfAction(): Promise<void> {
  return runAction(async () => {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const cwd = path.resolve(workspace, core.getInput('working-directory') || '.');
    const temp = process.env.RUNNER_TEMP || path.join(cwd, '.perf-tmp');
    const thresholds = core.getMultilineInput('thresholds');
    const common = {
      thresholds,
      budget: core.getInput('budget'),
      baseline: core.getInput('baseline'),
      requireBaseline: core.getInput('require-baseline'),
      maxRegression: core.getInput('max-regression'),
      checklist: core.getInput('checklist'),
      failOn: core.getInput('fail-on'),
      cwd,
    };
    let result: PerfResult & { engineUsed?: string; summaryFile?: string };
    const summary = core.getInput('summary');
    if (summary) {
      if (core.getInput('script') || core.getInput('scenario')) throw new InputError('summary: judges an existing result; leave script and scenario empty (or drop summary to run a test)', { field: 'summary' });
      result = await judgePerf({ ...common, summary, k6ExitCode: core.getInput('k6-exit-code') });
    } else {
      result = await runPerf({
        ...common,
        engine: core.getInput('engine'),
        script: core.getInput('script'),
        scenario: core.getInput('scenario'),
        baseUrl: core.getInput('base-url'),
        duration: core.getInput('duration'),
        vus: core.getInput('vus'),
        k6Version: core.getInput('k6-version'),
        k6Args: core.getInput('k6-args'),
        rawOutput: core.getInput('raw-output'),
        downloadBase: core.getInput('k6-download-base') || undefined,
        env: parseEnvLines(core.getInput('env')),
        outDir: path.join(temp, 'perf'),
        tempDir: temp,
        toolCacheDir: process.env.RUNNER_TOOL_CACHE || path.join(temp, 'tool-cache'),
        log: (l) => core.info(l),
        onProgress: (p) =>
          core.info(`[${(p.elapsedMs / 1000).toFixed(0)}s/${(p.durationMs / 1000).toFixed(0)}s] ${p.requests} requests, ${p.failed} failed, ${p.rps.toFixed(0)} req/s, ${p.vus}/${p.vusAllocated} VUs`),
      });
    }
    result.findings = result.findings.map((f) => workspaceRelative(f, cwd, workspace));
    const about = result.engineUsed ? `Engine: **${result.engineUsed}**.` : '';
    await publishResult(result, {
      title: 'Performance',
      resultFile: core.getInput('result-file'),
      sarifFile: core.getInput('sarif-file'),
      extraSummary: [tableMarkdown(result), about].filter(Boolean).join('\n'),
    });
    const m = result.metrics ?? {};
    core.setOutput('p95-ms', m['p95-ms'] !== undefined ? String(m['p95-ms']) : '');
    core.setOutput('error-rate', m['error-rate'] !== undefined ? String(m['error-rate']) : '');
    core.setOutput('rps', m.rps !== undefined ? String(m.rps) : '');
    core.setOutput('engine', result.engineUsed ?? '');
    core.setOutput('summary-file', result.summaryFile ?? '');
    return result.verdict;
  });
}

