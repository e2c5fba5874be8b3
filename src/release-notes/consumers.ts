import { parse as parseYaml } from 'yaml';
import { InputError } from '../kit/errors.js';
import { parseRepo } from './github.js';
import { parseDay } from './dates.js';

/** One consumer to tell about the release: an issue in its repository, a webhook, or both. */
export interface Consumer {
  name: string;
  repo?: { owner: string; repo: string };
  labels: string[];
  /** The webhook URL (from `webhook`, or read from the variable `webhook-env` names). */
  webhook?: string;
  /** How the webhook is shown in logs: scheme and host only (the path of a Slack URL is a secret). */
  webhookShown?: string;
}

export interface ConsumersConfig {
  rolloutDate?: string;
  consumers: Consumer[];
}

const TOP_KEYS = new Set(['rollout-date', 'consumers']);
const CONSUMER_KEYS = new Set(['name', 'repo', 'labels', 'webhook', 'webhook-env']);

/**
 * The consumers file (YAML):
 *   rollout-date: 2027-01-15        # optional
 *   consumers:
 *     - name: Mobile app
 *       repo: acme/mobile-app       # an issue there, found again by a hidden marker
 *       labels: [api-change]
 *     - name: Partners
 *       webhook-env: PARTNER_SLACK_WEBHOOK   # or webhook: https://…
 */
export function parseConsumers(text: string, file: string, env: Record<string, string | undefined> = process.env): ConsumersConfig {
  const bad = (msg: string, field?: string) => new InputError(`${file}${field ? `: ${field}` : ''}: ${msg}`, { file, field });
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw bad(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad("expected a mapping with a 'consumers' list");
  const top = doc as Record<string, unknown>;
  for (const k of Object.keys(top)) if (!TOP_KEYS.has(k)) throw bad(`unknown key '${k}' (expected rollout-date, consumers)`, k);
  const rd = top['rollout-date'];
  const rolloutDate = rd instanceof Date ? rd.toISOString().slice(0, 10) : rd === undefined || rd === null ? undefined : parseDay(String(rd), `${file}: rollout-date`);
  if (!Array.isArray(top.consumers) || top.consumers.length === 0) throw bad('expected a non-empty list of consumers', 'consumers');
  const consumers = top.consumers.map((c, i): Consumer => {
    const at = `consumers[${i}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw bad('expected a mapping with repo and/or webhook', at);
    const o = c as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!CONSUMER_KEYS.has(k)) throw bad(`unknown key '${k}' (expected name, repo, labels, webhook, webhook-env)`, `${at}.${k}`);
    const out: Consumer = { name: '', labels: [] };
    if (o.repo !== undefined) out.repo = parseRepo(typeof o.repo === 'string' ? o.repo : String(o.repo), `${file}: ${at}.repo`);
    if (o.labels !== undefined) {
      if (!Array.isArray(o.labels) || o.labels.some((l) => typeof l !== 'string' || !l.trim())) throw bad('expected a list of label names', `${at}.labels`);
      if (!out.repo) throw bad('labels apply to the issue in repo; give repo too', `${at}.labels`);
      out.labels = (o.labels as string[]).map((l) => l.trim());
    }
    if (o.webhook !== undefined && o['webhook-env'] !== undefined) throw bad('give webhook or webhook-env, not both', at);
    let url: string | undefined;
    if (o.webhook !== undefined) {
      if (typeof o.webhook !== 'string') throw bad('expected a URL', `${at}.webhook`);
      url = o.webhook.trim();
    }
    if (o['webhook-env'] !== undefined) {
      const name = String(o['webhook-env']).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw bad(`'${name}' is not an environment variable name`, `${at}.webhook-env`);
      url = env[name]?.trim();
      if (!url) throw bad(`environment variable ${name} is empty or not set (pass the webhook URL as a secret in env)`, `${at}.webhook-env`);
    }
    if (url !== undefined) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        throw bad('not a URL', `${at}.webhook`);
      }
      const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(u.hostname);
      if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw bad(`expected an https:// URL, got ${u.protocol}//`, `${at}.webhook`);
      out.webhook = u.toString();
      out.webhookShown = `${u.protocol}//${u.host}/…`;
    }
    if (!out.repo && !out.webhook) throw bad('expected repo, webhook or webhook-env', at);
    const name = o.name === undefined ? undefined : String(o.name).trim();
    out.name = name || (out.repo ? `${out.repo.owner}/${out.repo.repo}` : (out.webhookShown ?? `consumer ${i + 1}`));
    return out;
  });
  return { rolloutDate, consumers };
}
