// The consumer's Pact tests (node --test): each test runs the client against Pact's mock server
// on 127.0.0.1, and Pact writes what the client needed into pacts/<consumer>-<provider>.json.
//
//   node --test examples/petstore/consumer/pact.test.mjs
//   PACT_OUTPUT_DIR=/tmp/pacts node --test examples/petstore/consumer/pact.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV3 } from '@pact-foundation/pact';
import { petstoreClient, PetstoreError } from './client.mjs';

const { like, eachLike, regex, integer } = MatchersV3;
const here = path.dirname(fileURLToPath(import.meta.url));
const STATUS = regex('available|pending|sold|adopted', 'available');
const AUTH = { Authorization: like('Bearer demo-token'), Accept: 'application/json' };
const pet = (fields = {}) => ({ id: like('pet-1'), name: like('Rex'), species: like('dog'), status: STATUS, ...fields });

const provider = new PactV3({
  consumer: 'petstore-web',
  provider: 'petstore-api',
  dir: process.env.PACT_OUTPUT_DIR || path.join(here, 'pacts'),
  logLevel: 'warn',
});

describe('petstore-web → petstore-api', () => {
  test('lists the dogs', () => {
    provider
      .given('pets exist')
      .uponReceiving('a request to list dogs')
      .withRequest({ method: 'GET', path: '/pets', query: { species: 'dog' }, headers: AUTH })
      .willRespondWith({ status: 200, headers: { 'Content-Type': 'application/json' }, body: { items: eachLike(pet({ species: 'dog' })) } });
    return provider.executeTest(async (mock) => {
      const pets = await petstoreClient(mock.url, 'demo-token').listPets({ species: 'dog' });
      assert.equal(pets[0].species, 'dog');
    });
  });

  test('reads one pet', () => {
    provider
      .given('a pet exists', { id: 'pet-1' })
      .uponReceiving('a request for pet pet-1')
      .withRequest({ method: 'GET', path: '/pets/pet-1', headers: AUTH })
      .willRespondWith({ status: 200, headers: { 'Content-Type': 'application/json' }, body: pet() });
    return provider.executeTest(async (mock) => {
      const p = await petstoreClient(mock.url, 'demo-token').getPet('pet-1');
      assert.equal(typeof p.name, 'string');
      assert.ok(['available', 'pending', 'sold', 'adopted'].includes(p.status));
    });
  });

  test('gets a problem for a pet that does not exist', () => {
    provider
      .given('no pet exists', { id: 'pet-999' })
      .uponReceiving('a request for a pet that does not exist')
      .withRequest({ method: 'GET', path: '/pets/pet-999', headers: AUTH })
      .willRespondWith({
        status: 404,
        headers: { 'Content-Type': 'application/problem+json' },
        body: { type: like('about:blank'), title: like('Not Found'), status: integer(404) },
      });
    return provider.executeTest(async (mock) => {
      await assert.rejects(petstoreClient(mock.url, 'demo-token').getPet('pet-999'), (e) => e instanceof PetstoreError && e.status === 404);
    });
  });

  test('creates a pet', () => {
    provider
      .uponReceiving('a request to create a pet')
      .withRequest({
        method: 'POST',
        path: '/pets',
        headers: { ...AUTH, 'Content-Type': 'application/json' },
        body: { name: 'Fido', species: 'dog' },
      })
      .willRespondWith({ status: 201, headers: { 'Content-Type': 'application/json' }, body: pet({ name: 'Fido', species: 'dog' }) });
    return provider.executeTest(async (mock) => {
      const p = await petstoreClient(mock.url, 'demo-token').createPet({ name: 'Fido', species: 'dog' });
      assert.equal(p.name, 'Fido');
    });
  });
});
