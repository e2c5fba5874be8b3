/** k6's process exit codes (errext/exitcodes/codes.go in k6 2.2.0) and what each means for the gate. */
export const K6_EXIT_CODES: Record<number, string> = {
  0: 'success',
  97: 'the cloud test run failed (since v2.0.0 also aborts by user, system, limit, timeout or script error)',
  98: 'k6 could not get the progress of the cloud test run',
  99: "one or more of the script's thresholds failed (including an abortOnFail abort)",
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'a generic timeout',
  103: 'the test was stopped through the REST API',
  104: 'invalid configuration (including a bad threshold expression or a threshold on a metric that does not exist)',
  105: 'the run was aborted by a signal (SIGINT or SIGTERM)',
  106: "k6's REST API could not start",
  107: 'the script threw an exception',
  108: 'the script called test.abort() from k6/execution',
  109: 'k6 panicked (a bug in k6)',
  110: 'the script marked the test failed with exec.test.fail()',
  255: 'k6 failed for another reason (e.g. an invalid flag or --summary-mode value)',
};

export function k6ExitMeaning(code: number): string {
  return K6_EXIT_CODES[code] ?? `an exit code k6 does not document (${code})`;
}

export function parseExitCode(v: string | undefined, field = 'k6-exit-code'): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const s = v.trim();
  if (!/^\d{1,3}$/.test(s) || Number(s) > 255) throw new Error(`${field}: '${v}' is not a process exit code (0–255)`);
  return Number(s);
}
