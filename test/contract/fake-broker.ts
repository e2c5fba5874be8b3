/**
 * A Pact Broker on 127.0.0.1 that speaks the documented subset the gate and Pact's verifier use
 * (see ../shared/formats/pact/NOTES.md): the HAL index, publish contracts, pacts for verification
 * with consumer-version selectors, pending and WIP pacts, the pacts themselves, verification
 * results, can-i-deploy (computed from what was published, verified and deployed), environments,
 * versions and record-deployment. Every request is recorded so tests assert what was sent.
 * `fail` makes it answer 401, 500 or never, to test the errors.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  auth?: string;
  body?: any;
  status: number;
}

interface Version {
  pacticipant: string;
  number: string;
  branch?: string;
  tags: string[];
  buildUrl?: string;
  createdAt: number;
}
interface Publication {
  consumer: string;
  consumerVersion: string;
  provider: string;
  content: string;
  sha: string;
  createdAt: number;
}
interface Verification {
  provider: string;
  providerVersion: string;
  consumer: string;
  sha: string;
  success: boolean;
  body: any;
}
interface Environment {
  uuid: string;
  name: string;
  displayName: string;
  production: boolean;
}
interface Deployment {
  pacticipant: string;
  version: string;
  environment: string;
  applicationInstance?: string;
}

export class FakeBroker {
  requests: Recorded[] = [];
  versions: Version[] = [];
  publications: Publication[] = [];
  verifications: Verification[] = [];
  environments: Environment[] = [];
  deployments: Deployment[] = [];
  /** Bearer token the broker accepts (undefined: no auth). */
  token?: string = 'broker-secret-token';
  /** Answer every request with this status (401, 500) or never answer ('hang'). */
  fail?: number | 'hang';
  /** Main branch per pacticipant (default 'main'). */
  mainBranch: Record<string, string> = {};
  /** Called after each can-i-deploy answer (count from 1), e.g. to let a verification arrive. */
  onCanIDeploy?: (count: number) => void;
  url = '';
  canIDeployCount = 0;
  private server: Server = createServer((req, res) => void this.handle(req, res));
  private hanging: ServerResponse[] = [];
  private clock = 0;

  async start(): Promise<string> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  addEnvironment(name: string, production = name === 'production'): Environment {
    const env = { uuid: randomUUID(), name, displayName: name, production };
    this.environments.push(env);
    return env;
  }

  /** Requests other than the index, as `METHOD /path`. */
  calls(): string[] {
    return this.requests.filter((r) => r.path !== '/').map((r) => `${r.method} ${r.path}`);
  }

  private version(pacticipant: string, number: string): Version {
    let v = this.versions.find((x) => x.pacticipant === pacticipant && x.number === number);
    if (!v) {
      v = { pacticipant, number, tags: [], createdAt: ++this.clock };
      this.versions.push(v);
    }
    return v;
  }

  private link(path: string): { href: string } {
    return { href: `${this.url}${path}` };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rec: Recorded = { method: req.method ?? '', path: url.pathname, query: url.searchParams, auth: req.headers.authorization, status: 0 };
    try {
      rec.body = raw ? JSON.parse(raw) : undefined;
    } catch {
      rec.body = raw;
    }
    this.requests.push(rec);
    const send = (status: number, data: unknown) => {
      rec.status = status;
      res.writeHead(status, { 'content-type': 'application/hal+json;charset=utf-8' });
      res.end(JSON.stringify(data));
    };
    if (this.fail === 'hang') {
      this.hanging.push(res);
      return;
    }
    if (typeof this.fail === 'number') return send(this.fail, { error: { message: `planted failure ${this.fail}` } });
    if (this.token && req.headers.authorization !== `Bearer ${this.token}`) return send(401, { error: { message: 'Unauthorized' } });
    try {
      const out = this.route(req.method ?? 'GET', url, rec.body);
      send(out[0], out[1]);
    } catch (e) {
      send(500, { error: { message: String((e as Error).stack) } });
    }
  }

  private route(method: string, url: URL, body: any): [number, unknown] {
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (method === 'GET' && p === '/') {
      return [
        200,
        {
          _links: {
            self: this.link('/'),
            'pb:publish-contracts': this.link('/contracts/publish'),
            'pb:provider-pacts-for-verification': { href: `${this.url}/pacts/provider/{provider}/for-verification`, templated: true },
            'pb:environments': this.link('/environments'),
            'pb:pacticipant-version': { href: `${this.url}/pacticipants/{pacticipant}/versions/{version}`, templated: true },
          },
        },
      ];
    }
    if (method === 'POST' && p === '/contracts/publish') return this.publish(body);
    if ((m = /^\/pacts\/provider\/([^/]+)\/for-verification$/.exec(p)) && method === 'POST') return this.forVerification(decodeURIComponent(m[1]!), body);
    // The verifier reads the resource first and POSTs to its self link.
    if ((m = /^\/pacts\/provider\/([^/]+)\/for-verification$/.exec(p)) && method === 'GET') {
      return [200, { _links: { self: { href: `${this.url}${p}`, title: 'Pacts to be verified' } } }];
    }
    if ((m = /^\/pacts\/provider\/([^/]+)\/consumer\/([^/]+)\/pact-version\/([^/]+)$/.exec(p)) && method === 'GET') {
      const [provider, consumer, sha] = [m[1]!, m[2]!, m[3]!].map(decodeURIComponent) as [string, string, string];
      const pub = this.publications.find((x) => x.provider === provider && x.consumer === consumer && x.sha === sha);
      if (!pub) return [404, { error: { message: 'no such pact' } }];
      const pact = JSON.parse(pub.content);
      pact._links = {
        self: this.link(p),
        'pb:publish-verification-results': this.link(`${p}/verification-results`),
        'pb:provider': this.link(`/pacticipants/${encodeURIComponent(provider)}`),
        'pb:consumer': this.link(`/pacticipants/${encodeURIComponent(consumer)}`),
      };
      return [200, pact];
    }
    if ((m = /^\/pacts\/provider\/([^/]+)\/consumer\/([^/]+)\/pact-version\/([^/]+)\/verification-results$/.exec(p)) && method === 'POST') {
      const [provider, consumer, sha] = [m[1]!, m[2]!, m[3]!].map(decodeURIComponent) as [string, string, string];
      if (typeof body?.success !== 'boolean' || !body?.providerApplicationVersion) return [400, { errors: { success: ['is required'] } }];
      this.version(provider, body.providerApplicationVersion);
      this.verifications.push({ provider, providerVersion: body.providerApplicationVersion, consumer, sha, success: body.success, body });
      return [201, { success: body.success, _links: { self: this.link(`${p}/${this.verifications.length}`) } }];
    }
    if ((m = /^\/pacticipants\/([^/]+)$/.exec(p)) && method === 'GET') {
      const base = `${this.url}/pacticipants/${m[1]}`;
      return [
        200,
        {
          name: decodeURIComponent(m[1]!),
          _links: {
            self: this.link(p),
            'pb:version': { href: `${base}/versions/{version}`, templated: true },
            'pb:version-tag': { href: `${base}/versions/{version}/tags/{tag}`, templated: true },
            'pb:branch-version': { href: `${base}/branches/{branch}/versions/{version}`, templated: true },
          },
        },
      ];
    }
    if ((m = /^\/pacticipants\/([^/]+)\/branches\/([^/]+)\/versions\/([^/]+)$/.exec(p)) && method === 'PUT') {
      const v = this.version(decodeURIComponent(m[1]!), decodeURIComponent(m[3]!));
      v.branch = decodeURIComponent(m[2]!);
      return [200, { _links: { self: this.link(p) } }];
    }
    if ((m = /^\/pacticipants\/([^/]+)\/versions\/([^/]+)\/tags\/([^/]+)$/.exec(p)) && method === 'PUT') {
      this.version(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)).tags.push(decodeURIComponent(m[3]!));
      return [201, {}];
    }
    if ((m = /^\/pacticipants\/([^/]+)\/versions\/([^/]+)$/.exec(p)) && method === 'GET') {
      const [name, number] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
      const v = this.versions.find((x) => x.pacticipant === name && x.number === number);
      if (!v) return [404, { error: { message: `No version ${number} of ${name}` } }];
      return [
        200,
        {
          number: v.number,
          _links: {
            self: this.link(p),
            'pb:record-deployment': this.environments.map((e) => ({ ...this.link(`${p}/deployed-versions/environment/${e.uuid}`), name: e.name, title: `Record deployment to ${e.displayName}` })),
          },
        },
      ];
    }
    if ((m = /^\/pacticipants\/([^/]+)\/versions\/([^/]+)\/deployed-versions\/environment\/([^/]+)$/.exec(p)) && method === 'POST') {
      const env = this.environments.find((e) => e.uuid === m![3]);
      if (!env) return [404, { error: { message: 'no such environment' } }];
      const d = { pacticipant: decodeURIComponent(m[1]!), version: decodeURIComponent(m[2]!), environment: env.name, applicationInstance: body?.applicationInstance };
      // Recording the same deployment again is not a second deployment.
      if (!this.deployments.some((x) => JSON.stringify(x) === JSON.stringify(d))) this.deployments.push(d);
      return [201, { currentlyDeployed: true, _links: { self: this.link(p) } }];
    }
    if (p === '/environments' && method === 'GET') return [200, { _embedded: { environments: this.environments } }];
    if (p === '/environments' && method === 'POST') {
      if (!body?.name) return [400, { errors: { name: ['is required'] } }];
      return [201, this.addEnvironment(body.name, !!body.production)];
    }
    if (p === '/can-i-deploy' && method === 'GET') return this.canIDeploy(url.searchParams);
    return [404, { error: { message: `fake broker: no route for ${method} ${p}` } }];
  }

  private publish(body: any): [number, unknown] {
    const errors: Record<string, string[]> = {};
    if (!body?.pacticipantName) errors.pacticipantName = ['is required'];
    if (!body?.pacticipantVersionNumber) errors.pacticipantVersionNumber = ['is required'];
    if (!Array.isArray(body?.contracts) || body.contracts.length === 0) errors.contracts = ['is required'];
    if (Object.keys(errors).length) return [400, { errors }];
    const notices: { type: string; text: string }[] = [];
    for (const c of body.contracts) {
      const content = Buffer.from(c.content, 'base64').toString('utf8');
      const existing = this.publications.find((x) => x.consumer === c.consumerName && x.provider === c.providerName && x.consumerVersion === body.pacticipantVersionNumber);
      const sha = createHash('sha1').update(content).digest('hex');
      if (existing && existing.sha !== sha) {
        return [409, { notices: [{ type: 'error', text: `Cannot change the content of the pact for ${c.consumerName} version ${body.pacticipantVersionNumber} and provider ${c.providerName}` }] }];
      }
      if (existing) notices.push({ type: 'info', text: `Pact for ${c.providerName} version ${body.pacticipantVersionNumber} has not changed since previous publication.` });
      else {
        this.publications.push({ consumer: c.consumerName, consumerVersion: body.pacticipantVersionNumber, provider: c.providerName, content, sha, createdAt: ++this.clock });
        notices.push({ type: 'success', text: `Pact published for ${c.consumerName} version ${body.pacticipantVersionNumber} and provider ${c.providerName}.` });
      }
    }
    const v = this.version(body.pacticipantName, body.pacticipantVersionNumber);
    if (body.branch) v.branch = body.branch;
    if (body.buildUrl) v.buildUrl = body.buildUrl;
    for (const t of body.tags ?? []) if (!v.tags.includes(t)) v.tags.push(t);
    return [200, { notices, _embedded: { version: { number: v.number } }, _links: {} }];
  }

  private pactHref(pub: Publication): string {
    return `${this.url}/pacts/provider/${encodeURIComponent(pub.provider)}/consumer/${encodeURIComponent(pub.consumer)}/pact-version/${pub.sha}`;
  }

  private branchOf(pub: Publication): string | undefined {
    return this.versions.find((v) => v.pacticipant === pub.consumer && v.number === pub.consumerVersion)?.branch;
  }

  private forVerification(provider: string, body: any): [number, unknown] {
    const selectors: any[] = body?.consumerVersionSelectors ?? [{ mainBranch: true }];
    const mine = this.publications.filter((x) => x.provider === provider);
    const latestPer = (list: Publication[]) => {
      const by = new Map<string, Publication>();
      for (const p of list) if (!by.has(p.consumer) || by.get(p.consumer)!.createdAt < p.createdAt) by.set(p.consumer, p);
      return [...by.values()];
    };
    const selected = new Map<string, { pub: Publication; why: string[] }>();
    for (const s of selectors) {
      let list = s.consumer ? mine.filter((x) => x.consumer === s.consumer) : mine;
      let why: string;
      if (s.mainBranch) {
        list = latestPer(list.filter((x) => this.branchOf(x) === (this.mainBranch[x.consumer] ?? 'main')));
        why = 'latest from the main branch';
      } else if (s.branch) {
        list = latestPer(list.filter((x) => this.branchOf(x) === s.branch));
        why = `latest from branch ${s.branch}`;
      } else if (s.deployedOrReleased || s.deployed) {
        list = list.filter((x) => this.deployments.some((d) => d.pacticipant === x.consumer && d.version === x.consumerVersion && (!s.environment || d.environment === s.environment)));
        why = 'deployed';
      } else if (s.latest) {
        list = latestPer(list);
        why = 'latest';
      } else {
        list = [];
        why = '';
      }
      for (const pub of list) {
        const entry = selected.get(pub.sha) ?? { pub, why: [] };
        entry.why.push(why);
        selected.set(pub.sha, entry);
      }
    }
    const verifiedOk = (pub: Publication) => this.verifications.some((v) => v.provider === provider && v.sha === pub.sha && v.success);
    const pacts = [...selected.values()].map(({ pub, why }) => {
      const pending = body?.includePendingStatus ? !verifiedOk(pub) : false;
      return {
        shortDescription: why.join(', '),
        verificationProperties: {
          pending,
          notices: [{ when: 'before_verification', text: `The pact at ${this.pactHref(pub)} is being verified because it matches: ${why.join(', ')}${pending ? ' (pending)' : ''}` }],
        },
        _links: { self: { href: this.pactHref(pub), name: `Pact between ${pub.consumer} (${pub.consumerVersion}) and ${pub.provider}` } },
      };
    });
    if (body?.includeWipPactsSince) {
      const since = Date.parse(body.includeWipPactsSince);
      for (const pub of latestPer(mine.filter((x) => !selected.has(x.sha) && this.branchOf(x) && !verifiedOk(x)))) {
        if (Number.isNaN(since)) continue;
        pacts.push({
          shortDescription: 'work in progress',
          verificationProperties: { pending: true, wip: true, notices: [{ when: 'before_verification', text: `WIP pact ${this.pactHref(pub)} (pending)` }] } as any,
          _links: { self: { href: this.pactHref(pub), name: `WIP pact between ${pub.consumer} (${pub.consumerVersion}) and ${pub.provider}` } },
        });
      }
    }
    return [200, { _embedded: { pacts }, _links: { self: this.link(`/pacts/provider/${encodeURIComponent(provider)}/for-verification`) } }];
  }

  private canIDeploy(q: URLSearchParams): [number, unknown] {
    this.canIDeployCount++;
    const count = this.canIDeployCount;
    const name = q.get('pacticipant') ?? '';
    const number = q.get('version') ?? '';
    const environment = q.get('environment') ?? '';
    const ignore = q.getAll('ignore[]');
    if (!this.versions.some((v) => v.pacticipant === name && v.number === number)) {
      return [404, { error: { message: `No pacticipant version found for ${name} ${number}` } }];
    }
    if (environment && !this.environments.some((e) => e.name === environment)) return [404, { error: { message: `No environment found with name '${environment}'` } }];
    const deployedIn = (p: string) => this.deployments.filter((d) => d.pacticipant === p && d.environment === environment).map((d) => d.version);
    const rows: any[] = [];
    // As a consumer: each of this version's pacts, verified by the provider version in the environment.
    for (const pub of this.publications.filter((x) => x.consumer === name && x.consumerVersion === number && !ignore.includes(x.provider))) {
      const providerVersions = deployedIn(pub.provider);
      const v = [...this.verifications].reverse().find((x) => x.sha === pub.sha && x.provider === pub.provider && (providerVersions.length === 0 || providerVersions.includes(x.providerVersion)));
      rows.push(this.row(pub, v));
    }
    // As a provider: the pacts of the consumers in the environment, verified by this version.
    for (const pub of this.publications.filter((x) => x.provider === name && !ignore.includes(x.consumer) && deployedIn(x.consumer).includes(x.consumerVersion))) {
      const v = [...this.verifications].reverse().find((x) => x.sha === pub.sha && x.provider === name && x.providerVersion === number);
      rows.push(this.row(pub, v, number));
    }
    const failed = rows.filter((r) => r.verificationResult?.success === false).length;
    const unknown = rows.filter((r) => !r.verificationResult).length;
    const success = rows.length - failed - unknown;
    const deployable = failed > 0 ? false : unknown > 0 ? null : true;
    const reason =
      deployable === true
        ? rows.length
          ? 'All required verification results are published and successful'
          : 'There are no missing dependencies'
        : deployable === false
          ? 'The verification failed'
          : 'There is no verified pact between the versions';
    const answer = [200, { summary: { deployable, reason, success, failed, unknown }, notices: [{ type: deployable ? 'success' : 'warning', text: reason }], matrix: rows }] as [number, unknown];
    this.onCanIDeploy?.(count);
    return answer;
  }

  private row(pub: Publication, v: Verification | undefined, providerVersion?: string): unknown {
    return {
      consumer: { name: pub.consumer, version: { number: pub.consumerVersion } },
      provider: { name: pub.provider, version: v ? { number: v.providerVersion } : providerVersion ? { number: providerVersion } : null },
      pact: { createdAt: new Date(0).toISOString() },
      verificationResult: v ? { success: v.success, _links: { self: { href: `${this.url}/verification/${v.sha}` } } } : null,
    };
  }
}
