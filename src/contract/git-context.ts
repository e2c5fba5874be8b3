/**
 * The version and branch a build publishes under, from what the CI run knows.
 * Pact's rule: the version is the commit that was tested, the branch the branch it is on. On a
 * pull_request the runner checks out a merge commit (refs/pull/N/merge): the branch is the PR's
 * head branch and the version its head commit, never the merge ref.
 */
export interface CiContext {
  /** GITHUB_EVENT_NAME */
  eventName?: string;
  /** GITHUB_SHA */
  sha?: string;
  /** pull_request.head.sha from the event payload */
  headSha?: string;
  /** GITHUB_HEAD_REF (set on pull_request events) */
  headRef?: string;
  /** GITHUB_REF, e.g. refs/heads/main, refs/tags/v1, refs/pull/7/merge */
  ref?: string;
  /** GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID → the build URL */
  serverUrl?: string;
  repository?: string;
  runId?: string;
}

export interface VersionInfo {
  version?: string;
  branch?: string;
  buildUrl?: string;
}

export function versionInfo(ctx: CiContext, explicit: { version?: string; branch?: string; buildUrl?: string } = {}): VersionInfo {
  const isPr = ctx.eventName === 'pull_request' || ctx.eventName === 'pull_request_target' || !!ctx.headRef;
  const version = nonEmpty(explicit.version) ?? (isPr ? nonEmpty(ctx.headSha) : undefined) ?? nonEmpty(ctx.sha);
  let branch = nonEmpty(explicit.branch);
  if (!branch && isPr) branch = nonEmpty(ctx.headRef);
  if (!branch && ctx.ref?.startsWith('refs/heads/')) branch = ctx.ref.slice('refs/heads/'.length);
  const buildUrl =
    nonEmpty(explicit.buildUrl) ??
    (ctx.serverUrl && ctx.repository && ctx.runId ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}` : undefined);
  return { version, branch, buildUrl };
}

/** The CI context from an environment (process.env in the adapters; a plain object in tests). */
export function ciContextFromEnv(env: Record<string, string | undefined>, headSha?: string): CiContext {
  return {
    eventName: env.GITHUB_EVENT_NAME,
    sha: env.GITHUB_SHA,
    headSha,
    headRef: env.GITHUB_HEAD_REF,
    ref: env.GITHUB_REF,
    serverUrl: env.GITHUB_SERVER_URL,
    repository: env.GITHUB_REPOSITORY,
    runId: env.GITHUB_RUN_ID,
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}
