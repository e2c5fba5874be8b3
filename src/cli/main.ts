import { EXIT } from '../kit/result.js';
import { isHelpWord, isUsageError, type Out } from './command.js';
import { BREAKING_HELP, breakingCommand } from './breaking.js';
import { CONTRACT_HELP, contractCommand } from './contract.js';
import { ASVS_HELP, asvsCommand } from './asvs.js';
import { RELEASE_NOTES_HELP, releaseNotesCli } from './release-notes.js';
import { CONFORMANCE_HELP, conformanceCommand } from './conformance.js';
import { PERF_HELP, perfCommand } from './perf.js';
import { LIFECYCLE_HELP, lifecycleCommand } from './lifecycle.js';
import { FLAGS_HELP, flagsCommand } from './flags.js';
import { DESIGN_HELP, designCommand } from './design.js';
import { TELEMETRY_HELP, telemetryCommand } from './telemetry.js';

type Command = { summary: string; help: string; run(argv: string[], out: Out, err: Out): number | Promise<number> };

export const COMMANDS: Record<string, Command> = {
  design: { summary: 'Design lint (security, problem+json errors, naming, docs) and Definition of Ready (PRD)', help: DESIGN_HELP, run: designCommand },
  breaking: { summary: 'OpenAPI breaking-change gate (base spec vs revision)', help: BREAKING_HELP, run: breakingCommand },
  contract: { summary: 'Pact contract tests: compare with OpenAPI, verify, publish, can-i-deploy', help: CONTRACT_HELP, run: (argv, out) => contractCommand(argv, out) },
  asvs: { summary: 'OWASP ASVS checklist verifier and live security probes', help: ASVS_HELP, run: asvsCommand },
  'release-notes': { summary: 'API release notes, GitHub Release, CHANGELOG.md, docs site, consumer notices', help: RELEASE_NOTES_HELP, run: (argv, out, err) => releaseNotesCli(argv, out, err) },
  conformance: { summary: 'API test plan executor: requests from the spec, every answer checked against it', help: CONFORMANCE_HELP, run: conformanceCommand },
  perf: { summary: 'Performance gate: k6 or built-in load, budgets per endpoint, baselines', help: PERF_HELP, run: perfCommand },
  lifecycle: { summary: 'Sunset enforcement: x-sunset dates passed or near, deprecations without one', help: LIFECYCLE_HELP, run: lifecycleCommand },
  flags: { summary: 'Feature flags: new operations name their flag (check), stale flags in the register (stale)', help: FLAGS_HELP, run: flagsCommand },
  telemetry: { summary: 'Post-release telemetry: error rate and latency percentiles from Prometheus against a budget', help: TELEMETRY_HELP, run: (argv, out, err) => telemetryCommand(argv, out, err) },
};

export function mainHelp(): string {
  const lines = [
    'api-delivery <command> [options]',
    '',
    'Gates that carry an HTTP API from design to retirement; the same verdict as the GitHub Actions.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`),
    '',
    "Run 'api-delivery <command> --help' for a command's options.",
    'Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage, 3 internal error (a bug: please report it).',
  ];
  return lines.join('\n') + '\n';
}

/** Run the CLI; resolves to the exit code. Errors from bad input print one line and give 2. */
export async function main(argv: string[], out: Out, err: Out): Promise<number> {
  const [name, ...rest] = argv;
  if (isHelpWord(name)) {
    if (name === 'help' && rest[0] && COMMANDS[rest[0]]) out(COMMANDS[rest[0]]!.help + '\n');
    else out(mainHelp());
    return EXIT.pass;
  }
  if (name === '--version' || name === '-v') {
    out('api-delivery 0.1.0\n');
    return EXIT.pass;
  }
  const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    err(`api-delivery: unknown command '${name}'\n\n${mainHelp()}`);
    return EXIT.usage;
  }
  try {
    return await cmd.run(rest, out, err);
  } catch (e) {
    if (isUsageError(e)) {
      err(`api-delivery ${name}: ${e.message}\n`);
      return EXIT.usage;
    }
    err(`api-delivery ${name}: internal error: ${(e as Error).stack ?? e}\n`);
    return EXIT.internal;
  }
}
