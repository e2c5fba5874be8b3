// k6 script for the example Petstore: the same request mix as petstore.scenario.yaml,
// judged by the same budget.yaml (requests carry the endpoint as their `name` tag).
//   k6 run --summary-export summary.json -e BASE_URL=http://127.0.0.1:8080 -e PETSTORE_TOKEN=demo-token examples/perf/petstore.k6.js
//   api-delivery perf judge --summary summary.json --budget examples/perf/budget.yaml
import http from 'k6/http';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const params = (name) => ({ headers: { Authorization: `Bearer ${__ENV.PETSTORE_TOKEN || 'demo-token'}` }, tags: { name } });

export const options = {
  scenarios: {
    mix: { executor: 'constant-arrival-rate', rate: 80, timeUnit: '1s', preAllocatedVUs: 5, maxVUs: 20, duration: '30s' },
  },
  // Per-endpoint sub-metrics only appear in the summary when a threshold names them.
  thresholds: {
    http_req_duration: ['p(95)<100', 'p(99)<250'],
    'http_req_duration{name:GET /pets}': ['p(95)<100'],
    'http_req_duration{name:GET /pets/{id}}': ['p(95)<80'],
    http_req_failed: ['rate<0.01'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

const MIX = [
  ...Array(6).fill(['GET /pets', '/pets?species=dog&limit=10']),
  ...Array(3).fill(['GET /pets/{id}', '/pets/pet-1']),
  ['GET /pets/{id}/vaccinations', '/pets/pet-2/vaccinations'],
];

export default function () {
  const [name, path] = MIX[Math.floor(Math.random() * MIX.length)];
  http.get(`${BASE_URL}${path}`, params(name));
}
