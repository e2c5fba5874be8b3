// Provider states for verifying the Petstore API against its consumers' pacts. Before each
// interaction the verifier calls the handler named by the interaction's state (with its params);
// each handler makes the state true through the API itself, so it works against any running
// instance. The contract gate sets PROVIDER_BASE_URL to the provider's URL.
//
//   api-delivery contract verify --state-handlers examples/petstore/provider/states.mjs ...
const base = () => process.env.PROVIDER_BASE_URL ?? 'http://127.0.0.1:8080';
const headers = { Authorization: `Bearer ${process.env.PETSTORE_TOKEN ?? 'demo-token'}`, 'Content-Type': 'application/json' };

async function call(method, path, body) {
  const res = await fetch(new URL(path, base()), { method, headers, body: body && JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

export const stateHandlers = {
  'pets exist': async () => {
    for (const species of ['dog', 'cat']) {
      const status = await call('POST', '/pets', { name: `seed-${species}`, species });
      if (status !== 201) throw new Error(`could not create a ${species}: HTTP ${status}`);
    }
  },
  'a pet exists': async ({ id }) => {
    const status = await call('GET', `/pets/${encodeURIComponent(id)}`);
    if (status !== 200) throw new Error(`pet ${id} should exist but GET /pets/${id} answered ${status}`);
  },
  'no pet exists': async ({ id }) => {
    const status = await call('DELETE', `/pets/${encodeURIComponent(id)}`);
    if (status !== 204 && status !== 404) throw new Error(`could not delete pet ${id}: HTTP ${status}`);
  },
};
