import { createHash } from 'node:crypto';
import type { ApiChangelog } from './changelog.js';
import { ServiceError } from '../kit/errors.js';
import type { Consumer } from './consumers.js';
import { timeoutSignal } from '../kit/inputs.js';
import { explainGitHubError } from './github.js';
import type { GitHubClient } from '../kit/github-client.js';
import { changeTable, code, migrationSteps, scheduleTable } from './notes.js';

export interface NoticeInput {
  changelog: ApiChangelog;
  version: string;
  /** Where the API lives (owner/name), or its title: names the notice's marker. */
  source: string;
  rolloutDate?: string;
  releaseUrl?: string;
  docsUrl?: string;
}

export interface Notice {
  marker: string;
  title: string;
  /** Issue body (markdown), starting with the hidden marker. */
  body: string;
  /** Slack-compatible webhook payload (also understood by Mattermost, Rocket.Chat, Teams workflows). */
  webhook: { text: string; blocks: unknown[] };
}

/** Slack rejects section texts over 3000 characters. */
const SLACK_TEXT_MAX = 2900;

export function noticeMarker(source: string, version: string): string {
  return `<!-- api-delivery:consumer-notice:${source.replace(/--/g, '-')}@${version} -->`;
}

/** What consumers need: when it rolls out, what breaks and how to migrate, what is deprecated until when. */
export function renderNotice(i: NoticeInput): Notice {
  const c = i.changelog;
  const marker = noticeMarker(i.source, i.version);
  const when = i.rolloutDate ?? 'not scheduled yet';
  const title = `${c.title} ${i.version}: ${c.breaking.length ? 'breaking changes, action needed' : c.deprecations.some((d) => d.newInRelease) ? 'deprecations announced' : 'new version'}${i.rolloutDate ? ` (rollout ${i.rolloutDate})` : ''}`;
  const md: string[] = [marker, `## ${c.title} ${i.version}`, '', `- **Rollout date:** ${when}`];
  if (i.releaseUrl) md.push(`- **Release notes:** ${i.releaseUrl}`);
  if (i.docsUrl) md.push(`- **API reference:** ${i.docsUrl}`);
  md.push(`- **Breaking changes:** ${c.breaking.length}; **deprecations:** ${c.deprecations.length}; **new operations:** ${c.newOperations.length}`, '');
  if (c.breaking.length) md.push('### Breaking changes', '', ...changeTable(c.breaking), '', ...migrationSteps(c.breaking, '### Migration steps'));
  if (c.deprecations.length) md.push('### Deprecation schedule', '', ...scheduleTable(c.deprecations), '');
  if (c.mayAffect.length) md.push('### Changes that may affect you', '', ...changeTable(c.mayAffect), '', ...migrationSteps(c.mayAffect, '#### How to adapt'));
  if (c.newOperations.length) md.push('### New operations', '', ...c.newOperations.map((n) => `- ${code(n.operation)}${n.summary ? `: ${n.summary}` : ''}`), '');
  md.push('_This issue is kept up to date by the API release workflow; a re-run edits it rather than opening another._');

  const lines: string[] = [`*${c.title} ${i.version}*: rollout ${when}.`];
  if (c.breaking.length) {
    lines.push(`*${c.breaking.length} breaking change${c.breaking.length === 1 ? '' : 's'}:*`);
    for (const e of c.breaking.slice(0, 10)) lines.push(`• \`${e.operation ?? 'API'}\`: ${e.message}`);
    if (c.breaking.length > 10) lines.push(`• … and ${c.breaking.length - 10} more`);
    const steps = [...new Set(c.breaking.map((e) => e.hint).filter(Boolean))];
    if (steps.length) lines.push('*Migration:*', ...steps.map((s, n) => `${n + 1}. ${s}`));
  }
  if (c.deprecations.length) {
    lines.push('*Deprecation schedule:*');
    for (const d of c.deprecations.slice(0, 10)) lines.push(`• \`${d.operation}\` ${d.element === 'operation' ? '' : `${d.element} `}sunset ${d.sunset ?? 'not announced'}`);
  }
  if (c.newOperations.length) lines.push(`*New:* ${c.newOperations.map((n) => `\`${n.operation}\``).join(', ')}`);
  if (i.releaseUrl) lines.push(`<${i.releaseUrl}|Release notes>`);
  let text = lines.join('\n');
  if (text.length > SLACK_TEXT_MAX) text = text.slice(0, SLACK_TEXT_MAX) + '\n…';
  return {
    marker,
    title,
    body: md.join('\n').replace(/\n{3,}/g, '\n\n') + '\n',
    webhook: {
      text: `${c.title} ${i.version}: rollout ${when}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: `${c.title} ${i.version}`.slice(0, 150) } },
        { type: 'section', text: { type: 'mrkdwn', text } },
      ],
    },
  };
}

export interface NotifyOutcome {
  consumer: string;
  channel: 'issue' | 'webhook';
  target: string;
  action: 'created' | 'updated' | 'sent' | 'already sent' | 'would create or update' | 'would send';
  url?: string;
}

/** Issues read when looking for an earlier notice (most recent first). */
const ISSUE_PAGES = 5;

async function upsertIssue(gh: GitHubClient, c: Consumer, n: Notice): Promise<NotifyOutcome> {
  const { owner, repo } = c.repo!;
  const target = `${owner}/${repo}`;
  let found: { number: number; html_url: string } | undefined;
  for (let page = 1; page <= ISSUE_PAGES && !found; page++) {
    let data;
    try {
      ({ data } = await gh.rest.issues.listForRepo({ owner, repo, state: 'all', sort: 'created', direction: 'desc', per_page: 100, page }));
    } catch (e) {
      throw explainGitHubError(e, 'list issues', target);
    }
    found = data.find((x) => !x.pull_request && typeof x.body === 'string' && x.body.includes(n.marker));
    if (data.length < 100) break;
  }
  try {
    if (found) {
      const { data } = await gh.rest.issues.update({ owner, repo, issue_number: found.number, title: n.title, body: n.body });
      return { consumer: c.name, channel: 'issue', target, action: 'updated', url: data.html_url };
    }
    const { data } = await gh.rest.issues.create({ owner, repo, title: n.title, body: n.body, ...(c.labels.length ? { labels: c.labels } : {}) });
    return { consumer: c.name, channel: 'issue', target, action: 'created', url: data.html_url };
  } catch (e) {
    throw explainGitHubError(e, `${found ? 'update' : 'open'} the notice issue`, target);
  }
}

export interface WebhookOptions {
  retries?: number;
  /** Milliseconds per second of Retry-After and of the backoff (tests shrink it). */
  retryAfterBaseMs?: number;
  timeoutMs?: number;
}

/** POST the payload; 429 and 5xx are retried (bounded), honouring Retry-After up to 60 s. */
export async function sendWebhook(url: string, shown: string, payload: unknown, o: WebhookOptions = {}): Promise<void> {
  const retries = o.retries ?? 3;
  const base = o.retryAfterBaseMs ?? 1000;
  for (let attempt = 0; ; attempt++) {
    let status: number;
    let retryAfter: number | undefined;
    let detail = '';
    const timeout = timeoutSignal(o.timeoutMs ?? 15_000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: timeout.signal,
        redirect: 'error',
      });
      status = res.status;
      detail = (await res.text()).slice(0, 200);
      const ra = Number(res.headers.get('retry-after'));
      if (Number.isFinite(ra) && ra >= 0) retryAfter = Math.min(ra, 60);
    } catch (e) {
      status = 0;
      detail = (e as Error).message;
    } finally {
      timeout.clear();
    }
    if (status >= 200 && status < 300) return;
    const retryable = status === 0 || status === 429 || status >= 500;
    if (!retryable || attempt >= retries) {
      throw new ServiceError(`webhook ${shown}: ${status ? `HTTP ${status}` : 'no answer'}${attempt ? ` after ${attempt} retries` : ''}${detail ? `: ${detail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, (retryAfter ?? (attempt + 1) ** 2) * base));
  }
}

/** The start of the hidden line a release carries once its webhooks went out. */
export const WEBHOOKS_SENT = '<!-- api-delivery:webhooks-sent ';

/** That line for `notice`: a digest of the webhook payload, so a changed notice is sent again and a re-run is not. */
export function webhooksSentMarker(notice: Notice): string {
  return `${WEBHOOKS_SENT}${createHash('sha256').update(JSON.stringify(notice.webhook)).digest('hex').slice(0, 16)} -->`;
}

/**
 * Tell every consumer; in a dry run, say what would be sent and send nothing. Issues are found again and
 * edited; a webhook cannot be unsent, so it is skipped when `sentBefore` (what the release recorded of
 * an earlier run) is this notice's marker.
 */
export async function notifyConsumers(
  consumers: Consumer[],
  notice: Notice,
  o: { gh?: GitHubClient; dryRun: boolean; webhook?: WebhookOptions; sentBefore?: string },
): Promise<NotifyOutcome[]> {
  const alreadySent = o.sentBefore !== undefined && o.sentBefore === webhooksSentMarker(notice);
  const out: NotifyOutcome[] = [];
  for (const c of consumers) {
    if (c.repo) {
      const target = `${c.repo.owner}/${c.repo.repo}`;
      if (o.dryRun) out.push({ consumer: c.name, channel: 'issue', target, action: 'would create or update' });
      else if (!o.gh) throw new Error('internal: notifying a repository needs a GitHub client');
      else out.push(await upsertIssue(o.gh, c, notice));
    }
    if (c.webhook) {
      if (o.dryRun) out.push({ consumer: c.name, channel: 'webhook', target: c.webhookShown!, action: alreadySent ? 'already sent' : 'would send' });
      else if (alreadySent) out.push({ consumer: c.name, channel: 'webhook', target: c.webhookShown!, action: 'already sent' });
      else {
        await sendWebhook(c.webhook, c.webhookShown!, notice.webhook, o.webhook);
        out.push({ consumer: c.name, channel: 'webhook', target: c.webhookShown!, action: 'sent' });
      }
    }
  }
  return out;
}
