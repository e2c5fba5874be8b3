/**
 * `@pactflow/openapi-pact-comparator` ships type declarations that point at sources it does not
 * publish (`#documents/*`), so its exports are invisible to TypeScript under NodeNext. These are the
 * parts we use, typed from its README and dist/src/results/index.d.ts.
 */
import * as opc from '@pactflow/openapi-pact-comparator';

export interface ComparatorResult {
  code: string;
  message: string;
  mockDetails?: { interactionDescription?: string | null; interactionState?: string | null; location: string; value: unknown };
  specDetails?: { location: string; pathMethod?: string | null; pathName?: string | null; value: unknown };
  type: 'error' | 'warning' | 'info';
}

export interface PactComparator {
  compare(pact: unknown): AsyncGenerator<ComparatorResult>;
}

const { Comparator } = opc as unknown as { Comparator: new (options: { oas: unknown }) => PactComparator };

export function newComparator(oas: unknown): PactComparator {
  return new Comparator({ oas });
}
