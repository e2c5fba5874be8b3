// A tiny client for the Petstore API (examples/petstore/openapi.v2.yaml): what a consumer team
// would ship. Its Pact tests (pact.test.mjs) record what it needs from the API in a pact file.

/** Problem details (RFC 9457) from a non-2xx answer. */
export class PetstoreError extends Error {
  constructor(status, problem) {
    super(`${status} ${problem?.title ?? 'error'}${problem?.detail ? `: ${problem.detail}` : ''}`);
    this.status = status;
    this.problem = problem;
  }
}

export function petstoreClient(baseUrl, token) {
  async function call(method, path, body) {
    const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(new URL(path, baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new PetstoreError(res.status, data);
    return data;
  }
  return {
    /** Pets of one species, optionally with one status. */
    async listPets({ species, status, limit } = {}) {
      const q = new URLSearchParams({ species });
      if (status) q.set('status', status);
      if (limit) q.set('limit', String(limit));
      return (await call('GET', `/pets?${q}`)).items;
    },
    getPet: (id) => call('GET', `/pets/${encodeURIComponent(id)}`),
    createPet: (pet) => call('POST', '/pets', pet),
  };
}
