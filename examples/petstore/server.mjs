// The example Petstore API (spec: openapi.v2.yaml), a real HTTP server for the demo and the
// end-to-end tests: bearer auth, a per-client rate limit, RFC 9457 problem+json errors and the
// usual security headers. `bugs` plants faults for tests that must catch them.
//
//   node examples/petstore/server.mjs [--port 8080] [--token demo-token] [--bug NAME ...]
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * Faults a test can plant (each breaks one promise the spec or a security control makes):
 *   no-auth            every operation answers without credentials
 *   unprotected-get    GET /pets/{id} answers without credentials
 *   no-rate-limit      no 429, no RateLimit headers
 *   stack-trace        a 500 whose body carries a stack trace (GET /pets?status=boom, a malformed %-escape)
 *   leaky-headers      Server and X-Powered-By reveal versions; no nosniff; CORS * with credentials
 *   undocumented-status  GET /pets/{id} for a missing pet answers 418
 *   wrong-type         Pet.name is a number
 *   missing-required   Pet.status is left out
 *   enum-500           an unknown status value in GET /pets gives 500 instead of 400
 *   slow               every answer waits 200 ms more
 *   errors             every third GET /pets answers 503
 */
export const BUGS = ['no-auth', 'unprotected-get', 'no-rate-limit', 'stack-trace', 'leaky-headers', 'undocumented-status', 'wrong-type', 'missing-required', 'enum-500', 'slow', 'errors'];

const STATUSES = ['available', 'pending', 'sold', 'adopted'];

function seed() {
  const pets = new Map();
  const names = ['Rex', 'Tom', 'Bella', 'Kiwi', 'Luna', 'Milo', 'Coco', 'Nala'];
  names.forEach((name, i) => {
    const id = `pet-${i + 1}`;
    pets.set(id, { id, name, species: i % 2 ? 'cat' : 'dog', status: STATUSES[i % 3] });
  });
  return pets;
}

/**
 * Start the server. Options: port (0 = any), host (127.0.0.1), token ('demo-token'),
 * rateLimit ({ limit: 100, windowMs: 1000 }), bugs (names from BUGS).
 * Resolves to { url, port, close(), server }.
 */
export async function startServer(opts = {}) {
  const bugs = new Set(opts.bugs ?? []);
  for (const b of bugs) if (!BUGS.includes(b)) throw new Error(`unknown bug '${b}' (one of ${BUGS.join(', ')})`);
  const token = opts.token ?? 'demo-token';
  const limit = opts.rateLimit?.limit ?? 100;
  const windowMs = opts.rateLimit?.windowMs ?? 1000;
  const pets = seed();
  const windows = new Map();
  let getCount = 0;

  const server = createServer((req, res) => {
    const send = () => handle(req, res).catch((e) => problem(res, 500, 'Internal Server Error', bugs.has('stack-trace') ? String(e.stack) : 'unexpected error'));
    if (bugs.has('slow')) setTimeout(send, 200);
    else send();
  });

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (bugs.has('leaky-headers')) {
      res.setHeader('Server', 'nginx/1.18.0');
      res.setHeader('X-Powered-By', 'Express 4.17.1');
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    } else {
      res.setHeader('X-Content-Type-Options', 'nosniff');
    }
    res.setHeader('Cache-Control', 'no-store');
    if (url.pathname === '/healthz') return json(res, 200, { status: 'ok' });

    const segments = url.pathname.split('/').filter(Boolean);
    if (segments[0] !== 'pets' || segments.length > 3) return problem(res, 404, 'Not Found', `no route for ${url.pathname}`);
    const op = `${req.method} /pets${segments.length > 1 ? '/{id}' : ''}${segments.length > 2 ? `/${segments[2]}` : ''}`;

    const open = bugs.has('no-auth') || (bugs.has('unprotected-get') && op === 'GET /pets/{id}');
    const auth = req.headers.authorization ?? '';
    const client = auth || req.socket.remoteAddress || 'anonymous';
    if (!bugs.has('no-rate-limit')) {
      const now = Date.now();
      let w = windows.get(client);
      if (!w || now - w.start >= windowMs) windows.set(client, (w = { start: now, count: 0 }));
      w.count++;
      const reset = Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
      res.setHeader('RateLimit-Limit', String(limit));
      res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - w.count)));
      res.setHeader('RateLimit-Reset', String(reset));
      if (w.count > limit) {
        res.setHeader('Retry-After', String(reset));
        return problem(res, 429, 'Too Many Requests', `limit of ${limit} requests per ${windowMs} ms reached`);
      }
    }
    if (!open && auth !== `Bearer ${token}`) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return problem(res, 401, 'Unauthorized', 'a valid bearer token is required');
    }

    let id;
    try {
      id = segments[1] ? decodeURIComponent(segments[1]) : undefined;
    } catch (e) {
      // The planted fault: the decoding error escapes and its stack trace reaches the client.
      if (bugs.has('stack-trace')) throw e;
      return problem(res, 400, 'Bad Request', 'the path is not valid percent-encoding');
    }
    if (id !== undefined && id.length > 36) return problem(res, 400, 'Bad Request', 'id is longer than 36 characters');
    switch (op) {
      case 'GET /pets': {
        getCount++;
        if (bugs.has('errors') && getCount % 3 === 0) return problem(res, 503, 'Service Unavailable', 'planted failure');
        const q = url.searchParams;
        const species = q.get('species');
        if (!species) return problem(res, 400, 'Bad Request', "query parameter 'species' is required");
        const limitParam = q.get('limit') ?? '20';
        if (!/^\d+$/.test(limitParam) || +limitParam < 1 || +limitParam > 50) return problem(res, 400, 'Bad Request', "query parameter 'limit' must be an integer from 1 to 50");
        const status = q.get('status');
        if (status === 'boom' && bugs.has('stack-trace')) throw new Error('status lookup failed');
        if (status !== null && !STATUSES.includes(status)) {
          if (bugs.has('enum-500')) throw new Error(`no such status ${status}`);
          return problem(res, 400, 'Bad Request', `status must be one of ${STATUSES.join(', ')}`);
        }
        const items = [...pets.values()].filter((p) => p.species === species && (!status || p.status === status)).slice(0, +limitParam);
        return json(res, 200, { items: items.map(present), next: null });
      }
      case 'POST /pets': {
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
        if (type !== 'application/json') return problem(res, 415, 'Unsupported Media Type', 'send application/json');
        let body;
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          return problem(res, 400, 'Bad Request', 'the body is not valid JSON');
        }
        if (!body || typeof body !== 'object' || Array.isArray(body)) return problem(res, 400, 'Bad Request', 'the body must be a JSON object');
        if (typeof body.name !== 'string' || body.name.length === 0 || body.name.length > 60) return problem(res, 400, 'Bad Request', "'name' must be a string of 1 to 60 characters");
        if (typeof body.species !== 'string') return problem(res, 400, 'Bad Request', "'species' is required");
        if (body.status !== undefined && !STATUSES.includes(body.status)) return problem(res, 400, 'Bad Request', `status must be one of ${STATUSES.join(', ')}`);
        const pet = { id: randomUUID(), name: body.name, species: body.species, status: body.status ?? 'available' };
        pets.set(pet.id, pet);
        return json(res, 201, present(pet));
      }
      case 'GET /pets/{id}': {
        const pet = pets.get(id);
        if (!pet) return bugs.has('undocumented-status') ? json(res, 418, { teapot: true }) : problem(res, 404, 'Not Found', `no pet ${id}`);
        return json(res, 200, present(pet));
      }
      case 'DELETE /pets/{id}': {
        res.setHeader('Deprecation', 'true');
        res.setHeader('Sunset', 'Wed, 30 Jun 2027 00:00:00 GMT');
        if (!pets.delete(id)) return problem(res, 404, 'Not Found', `no pet ${id}`);
        res.writeHead(204).end();
        return;
      }
      case 'GET /pets/{id}/vaccinations': {
        if (!pets.has(id)) return problem(res, 404, 'Not Found', `no pet ${id}`);
        return json(res, 200, ['rabies-2026', 'distemper-2025']);
      }
      default:
        res.setHeader('Allow', segments.length === 1 ? 'GET, POST' : 'GET, DELETE');
        return problem(res, 405, 'Method Not Allowed', `${req.method} is not allowed here`);
    }
  }

  function present(pet) {
    const out = { ...pet };
    if (bugs.has('wrong-type')) out.name = 42;
    if (bugs.has('missing-required')) delete out.status;
    return out;
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const host = opts.host ?? '127.0.0.1';
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 1_000_000) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function problem(res, status, title, detail) {
  const text = JSON.stringify({ type: 'about:blank', title, status, detail });
  res.writeHead(status, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const val = (flag) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : undefined; };
  const bugs = args.flatMap((a, i) => (a === '--bug' ? [args[i + 1]] : []));
  const s = await startServer({ port: Number(val('--port') ?? 8080), token: val('--token'), bugs });
  console.log(`petstore listening on ${s.url} (token: ${val('--token') ?? 'demo-token'}${bugs.length ? `, bugs: ${bugs.join(', ')}` : ''})`);
}
