import { InputError } from '../../kit/errors.js';
import type { MatrixRow } from '../model.js';
import type { PactFile } from '../pact-file.js';
import { brokerMessage, BrokerClient, BrokerError, linkOf, linksNamed } from './client.js';

export interface Notice {
  type: string;
  text: string;
}

export interface PublishRequest {
  pacticipant: string;
  version: string;
  branch?: string;
  tags?: string[];
  buildUrl?: string;
  pacts: readonly PactFile[];
}

/**
 * Publish consumer pacts with `POST /contracts/publish` (found through the index's
 * `pb:publish-contracts` link). Publishing the same content for the same version again is
 * accepted by the broker, so a re-run never duplicates; changed content for a published
 * version is refused (409) and reported.
 */
export async function publishContracts(client: BrokerClient, req: PublishRequest): Promise<Notice[]> {
  const index = await client.get('/');
  const href = linkOf(index.json, 'pb:publish-contracts');
  if (!href) {
    throw new BrokerError(`Pact Broker at ${client.base.origin} has no 'pb:publish-contracts' relation: it needs Pact Broker 2.86.0 or later, or PactFlow`);
  }
  const foreign = req.pacts.filter((p) => p.consumer !== req.pacticipant);
  if (foreign.length > 0) {
    throw new InputError(
      `${foreign[0]!.file}: the pact's consumer is '${foreign[0]!.consumer}', but this build publishes for '${req.pacticipant}' (set pacticipant to the consumer's name)`,
      { file: foreign[0]!.file, field: 'pacticipant' },
    );
  }
  const body = {
    pacticipantName: req.pacticipant,
    pacticipantVersionNumber: req.version,
    ...(req.branch ? { branch: req.branch } : {}),
    ...(req.tags && req.tags.length > 0 ? { tags: req.tags } : {}),
    ...(req.buildUrl ? { buildUrl: req.buildUrl } : {}),
    contracts: req.pacts.map((p) => ({
      consumerName: p.consumer,
      providerName: p.provider,
      specification: 'pact',
      contentType: 'application/json',
      content: Buffer.from(p.text, 'utf8').toString('base64'),
    })),
  };
  let res;
  try {
    res = await client.post(href, body);
  } catch (e) {
    if (e instanceof BrokerError && e.status === 409) {
      throw new BrokerError(
        `${e.message}. Version ${req.version} of ${req.pacticipant} was already published with different pact content; publish changed pacts under a new version (a new commit)`,
        409,
      );
    }
    throw e;
  }
  return noticesOf(res.json);
}

export interface CanIDeployRequest {
  pacticipant: string;
  version: string;
  environment?: string;
  /** The older tag-based target (`to`), used only without an environment. */
  toTag?: string;
  /** Pacticipants whose verification results are not required. */
  ignore?: string[];
  /** Extra questions while the answer is unknown (no verification yet). */
  retryWhileUnknown: number;
  retryIntervalMs: number;
}

export interface CanIDeployAnswer {
  deployable: boolean | null;
  reason: string;
  matrix: MatrixRow[];
  notices: Notice[];
  /** How many times the broker was asked. */
  attempts: number;
}

/**
 * `GET /can-i-deploy`; asks again (bounded) while the broker says it does not know yet, which
 * is what happens right after a publish, before the provider's verification has run.
 */
export async function canIDeploy(client: BrokerClient, req: CanIDeployRequest, onWait?: (attempt: number, reason: string) => void): Promise<CanIDeployAnswer> {
  if (!req.environment && !req.toTag) throw new InputError('to-environment: required for can-i-deploy (or the older to-tag)', { field: 'to-environment' });
  const q = new URLSearchParams({ pacticipant: req.pacticipant, version: req.version });
  if (req.environment) q.set('environment', req.environment);
  else q.set('to', req.toTag!);
  for (const p of req.ignore ?? []) q.append('ignore[]', p);
  for (let attempt = 1; ; attempt++) {
    const res = await client.get(`can-i-deploy?${q}`, true);
    if (res.status === 404) {
      throw new InputError(
        `can-i-deploy: the broker does not know ${req.pacticipant} version ${req.version}${req.environment ? ` or environment '${req.environment}'` : ''}: ${brokerMessage(res.json) || 'not found'} (was the version published?)`,
        { field: 'version' },
      );
    }
    const summary = (res.json.summary ?? {}) as { deployable?: boolean | null; reason?: string };
    const deployable = summary.deployable === true ? true : summary.deployable === false ? false : null;
    const answer: CanIDeployAnswer = {
      deployable,
      reason: String(summary.reason ?? ''),
      matrix: matrixOf(res.json),
      notices: noticesOf(res.json),
      attempts: attempt,
    };
    if (deployable !== null || attempt > req.retryWhileUnknown) return answer;
    onWait?.(attempt, answer.reason);
    await new Promise((r) => setTimeout(r, req.retryIntervalMs));
  }
}

function matrixOf(json: Record<string, unknown>): MatrixRow[] {
  const rows = Array.isArray(json.matrix) ? (json.matrix as Record<string, any>[]) : [];
  return rows.map((r) => ({
    consumer: String(r.consumer?.name ?? ''),
    consumerVersion: String(r.consumer?.version?.number ?? ''),
    provider: String(r.provider?.name ?? ''),
    providerVersion: String(r.provider?.version?.number ?? ''),
    success: typeof r.verificationResult?.success === 'boolean' ? r.verificationResult.success : null,
    verificationUrl: r.verificationResult?._links?.self?.href,
  }));
}

export function noticesOf(json: Record<string, unknown>): Notice[] {
  const n = json.notices;
  return Array.isArray(n) ? (n as { type?: unknown; text?: unknown }[]).map((x) => ({ type: String(x.type ?? 'info'), text: String(x.text ?? '') })) : [];
}

export interface RecordDeploymentRequest {
  pacticipant: string;
  version: string;
  environment: string;
  applicationInstance?: string;
}

/**
 * Record that a version is deployed to an environment: read the version resource, take its
 * `pb:record-deployment` link named after the environment, POST to it.
 */
export async function recordDeployment(client: BrokerClient, req: RecordDeploymentRequest): Promise<{ url: string; notices: Notice[] }> {
  const versionPath = `pacticipants/${encodeURIComponent(req.pacticipant)}/versions/${encodeURIComponent(req.version)}`;
  const version = await client.get(versionPath, true);
  if (version.status === 404) {
    throw new InputError(`record-deployment: the broker does not know ${req.pacticipant} version ${req.version} (publish it first)`, { field: 'version' });
  }
  const links = linksNamed(version.json, 'pb:record-deployment');
  const link = links.find((l) => l.name === req.environment);
  if (!link) {
    const envs = await listEnvironments(client);
    const known = envs.map((e) => e.name);
    throw new InputError(
      `environment: '${req.environment}' is not an environment of this broker${known.length ? ` (known: ${known.join(', ')})` : ' (it has none: create it with POST /environments)'}`,
      { field: 'environment' },
    );
  }
  const body = req.applicationInstance ? { applicationInstance: req.applicationInstance, target: req.applicationInstance } : {};
  const res = await client.post(link.href, body);
  return { url: link.href, notices: noticesOf(res.json) };
}

export interface Environment {
  uuid: string;
  name: string;
  displayName?: string;
  production?: boolean;
}

export async function listEnvironments(client: BrokerClient): Promise<Environment[]> {
  const res = await client.get('environments');
  const emb = (res.json._embedded ?? {}) as { environments?: Environment[] };
  return Array.isArray(emb.environments) ? emb.environments : [];
}
