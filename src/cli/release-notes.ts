import { InputError } from '../kit/errors.js';
import { checkOutputPath } from '../kit/inputs.js';
import { EXIT } from '../kit/result.js';
import { publishRelease, type PublishInputs, type PublishResult } from '../release-notes/publish.js';
import { runReleaseNotes, type ReleaseNotesResult } from '../release-notes/run.js';
import { finish, isUsageError, parseCommand, printHelp, type Out } from './command.js';

export const RELEASE_NOTES_HELP = `api-delivery release-notes --revision SPEC [--base SPEC] [--version X.Y.Z] [options]
api-delivery release-notes publish --revision SPEC --repo OWNER/NAME [--tag vX.Y.Z] [options]

Release notes for an API from the breaking-change engine's diff: breaking changes with migration
steps, deprecations with their sunset dates, new operations, other changes, merged pull requests
and contributors. Checks that the release version agrees with the changes (a breaking change needs
a major release) and exits 1 when it does not. SPEC is a file or a git revision such as v1.0.0:openapi.yaml.

Options:
  --base SPEC               the spec at the previous release (default: the revision's path at the
                            last release tag: the highest version tag reachable from HEAD with the
                            tag's prefix, e.g. api/ for api/v2.0.0; none in a full clone: a first
                            release, every operation new)
  --revision SPEC           the spec being released (required)
  --version X.Y.Z           the release version (default: from --tag; else the notes suggest one)
  --previous-version X.Y.Z  the version released last (default: the base tag's version, else the
                            base spec's info.version)
  --tag TAG                 the release tag (default for publish: v<version>)
  --date YYYY-MM-DD         the release date shown in the notes (default: today)
  --rollout-date YYYY-MM-DD when the release reaches production (shown to consumers)
  --repo OWNER/NAME         list pull requests merged since the base tag there (token in GITHUB_TOKEN)
  --since DATE              pull requests merged after this date (default: the base tag's date)
  --no-pull-requests        do not list pull requests
  --api-url URL             GitHub REST API root (default: $GITHUB_API_URL or https://api.github.com)
  --token-env NAME          environment variable holding the token (default: GITHUB_TOKEN, then GH_TOKEN)
  --fail-on error|warning|never  when the version check fails the command (default: error)
  --format markdown|json    markdown prints the notes; json the whole result (default: markdown)
  --output FILE             write the notes (or JSON) to FILE instead of stdout
  -h, --help                show this help

Publish options (after 'publish'):
  --draft, --prerelease     mark the GitHub Release so (a version such as 2.0.0-rc.1 is always a prerelease)
  --name TEXT               release title (default: "<API title> <version> (<date>)")
  --target REF              commit or branch a new tag is created from
  --changelog FILE          prepend the entry to this file once (default: CHANGELOG.md; '' skips); a
                            section for the version written by hand is kept, nothing added
  --changelog-branch NAME   also commit the entry to this branch through the GitHub API
  --docs-dir DIR            build the GitHub Pages site here (API reference + changelog)
  --docs-url URL            where the site is published (linked from consumer notices)
  --consumers FILE          YAML list of consumers to notify (issues and/or webhooks)
  --dry-run                 print what would be published and sent; send and commit nothing

Exit codes: 0 pass, 1 the version disagrees with the changes (or GitHub failed), 2 bad input or usage.
Publishing happens only when the version check passes; a re-run updates what the first run made.`;

const OPTIONS = {
  base: { type: 'string' },
  revision: { type: 'string' },
  version: { type: 'string' },
  'previous-version': { type: 'string' },
  tag: { type: 'string' },
  date: { type: 'string' },
  'rollout-date': { type: 'string' },
  repo: { type: 'string' },
  since: { type: 'string' },
  'no-pull-requests': { type: 'boolean' },
  'api-url': { type: 'string' },
  'token-env': { type: 'string' },
  draft: { type: 'boolean' },
  prerelease: { type: 'boolean' },
  name: { type: 'string' },
  target: { type: 'string' },
  changelog: { type: 'string' },
  'changelog-branch': { type: 'string' },
  'docs-dir': { type: 'string' },
  'docs-url': { type: 'string' },
  consumers: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

const PUBLISH_ONLY = ['draft', 'prerelease', 'name', 'target', 'changelog', 'changelog-branch', 'docs-dir', 'docs-url', 'consumers', 'dry-run'] as const;

type Parsed = { publish: boolean; values: ReturnType<typeof parseCommand<typeof OPTIONS>>['values'] };

/** Parse synchronously so usage errors surface at once (exit 2 through main). */
export function parseReleaseNotesArgs(argv: string[]): Parsed | 'help' {
  const publish = argv[0] === 'publish';
  const { values, positionals } = parseCommand(publish ? argv.slice(1) : argv, OPTIONS);
  if (values.help) return 'help';
  if (positionals.length) throw new InputError(`release-notes: unexpected argument '${positionals[0]}' (only 'publish' is a subcommand)`);
  if (!values.revision) throw new InputError('release-notes: --revision is required (see api-delivery release-notes --help)', { field: 'revision' });
  if (!publish) {
    const misplaced = PUBLISH_ONLY.find((k) => values[k] !== undefined);
    if (misplaced) throw new InputError(`release-notes: --${misplaced} belongs to 'release-notes publish'`, { field: misplaced });
  }
  const format = values.format ?? 'markdown';
  if (format !== 'markdown' && format !== 'json') throw new InputError(`format: '${format}' is not one of markdown, json`, { field: 'format' });
  return { publish, values };
}

function tokenFrom(env: NodeJS.ProcessEnv, name: string | undefined): string | undefined {
  if (name !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InputError(`token-env: '${name}' is not an environment variable name`, { field: 'token-env' });
    if (!env[name]) throw new InputError(`token-env: environment variable ${name} is empty or not set`, { field: 'token-env' });
    return env[name];
  }
  return env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
}

/** The command, asynchronous (GitHub calls); returns the exit code. */
export async function releaseNotesCli(
  argv: string[],
  out: Out,
  err: Out,
  ctx: { env?: NodeJS.ProcessEnv; cwd?: string; client?: PublishInputs['client']; webhook?: PublishInputs['webhook'] } = {},
): Promise<number> {
  const env = ctx.env ?? process.env;
  try {
    const parsed = parseReleaseNotesArgs(argv);
    if (parsed === 'help') return printHelp(out, RELEASE_NOTES_HELP);
    const v = parsed.values;
    checkOutputPath(v.output);
    const inputs: PublishInputs = {
      base: v.base,
      revision: v.revision!,
      version: v.version,
      previousVersion: v['previous-version'],
      tag: v.tag,
      date: v.date,
      rolloutDate: v['rollout-date'],
      repository: v.repo,
      since: v.since,
      pullRequests: v['no-pull-requests'] ? 'false' : undefined,
      apiUrl: v['api-url'] ?? (env.GITHUB_API_URL || undefined),
      token: tokenFrom(env, v['token-env']),
      failOn: v['fail-on'],
      cwd: ctx.cwd,
      client: ctx.client,
      webhook: ctx.webhook,
      env,
      log: (m) => err(`${m}\n`),
    };
    let result: ReleaseNotesResult | PublishResult;
    if (parsed.publish) {
      result = await publishRelease({
        ...inputs,
        draft: v.draft ?? false,
        prerelease: v.prerelease ?? false,
        releaseName: v.name,
        target: v.target,
        changelog: v.changelog ?? 'CHANGELOG.md',
        changelogBranch: v['changelog-branch'],
        docsDir: v['docs-dir'],
        docsUrl: v['docs-url'],
        consumers: v.consumers,
        dryRun: v['dry-run'] ?? false,
      });
    } else result = await runReleaseNotes(inputs);

    const text = v.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : result.notes + ('publish' in result ? publishReport(result as PublishResult) : '');
    const code = finish(result, text, v.output, out);
    for (const f of result.findings) err(`${f.level}: ${f.message} [${f.id}]${f.location ? ` (${f.location.file}${f.location.line ? `:${f.location.line}` : ''})` : ''}\n`);
    if (!result.version && result.suggestedVersion) err(`info: advised bump ${result.semver}: the next version would be ${result.suggestedVersion} (pass --version to check one)\n`);
    return code;
  } catch (e) {
    if (!isUsageError(e)) throw e;
    err(`api-delivery release-notes: ${e.message}\n`);
    return EXIT.usage;
  }
}

/** What publishing did (or, in a dry run, would do), after the notes. */
export function publishReport(r: PublishResult): string {
  const p = r.publish;
  const lines = ['', `---`, '', `## Publish${p.dryRun ? ' (dry run: nothing sent, nothing committed)' : ''}`, ''];
  if (p.skipped) return lines.concat(p.skipped, '').join('\n');
  const rel = p.release;
  if (rel && 'url' in rel) lines.push(`- GitHub Release for ${p.tag}: ${rel.action} (id ${rel.id}) ${rel.url}`);
  else if (rel) lines.push(`- GitHub Release for ${p.tag}: would create or update "${rel.name}"${rel.draft ? ' as a draft' : ''}${rel.prerelease ? ' marked prerelease' : ''}, body = the notes above`);
  if (p.changelog) {
    const act = p.dryRun ? `would be ${p.changelog.action === 'unchanged' ? 'left unchanged' : p.changelog.action}` : p.changelog.action;
    lines.push(`- ${p.changelog.file}: ${act}${p.changelog.branch ? `; branch ${p.changelog.branch.name}: ${p.changelog.branch.action}` : ''}`);
  }
  if (p.docs) lines.push(`- Docs site: ${p.docs.dir} (${p.docs.files.join(', ')}); open index.html or publish the directory to GitHub Pages`);
  for (const n of p.notifications) lines.push(`- ${n.consumer}: ${n.channel} ${n.target}: ${n.action}${n.url ? ` ${n.url}` : ''}`);
  if (p.notice && p.dryRun) {
    lines.push('', `### Consumer notice: issue "${p.notice.title}"`, '', '```markdown', p.notice.body.trimEnd(), '```', '', '### Webhook payload', '', '```json', JSON.stringify(p.notice.webhook, null, 2), '```');
  }
  return lines.join('\n') + '\n';
}
