// A negative reservation is refused by every door that sets shares, naming the field, and
// nothing is saved: REST answers 422 with the field's path, GraphQL an InvalidBudget.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type InProcessServer, startInProcess } from './helpers/in-process.ts';
import { gql, postJson, putJson } from './helpers/server.ts';

let s: InProcessServer;
beforeEach(async () => {
  s = await startInProcess();
  expect((await postJson(`${s.url}/teams`, { name: 'powertrain' })).status).toBe(201);
});
afterEach(async () => {
  await s.stop();
});

const shares = async () => (await (await s.fetch('/config/tools/analysis/shares')).json()) as { shares: unknown[] };

describe('reserved = -1 on a pool share', () => {
  it('REST: 422 naming shares.0.reserved, nothing saved', async () => {
    const r = await putJson(`${s.url}/config/tools/analysis/shares`, { shares: [{ team: 'powertrain', reserved: -1 }] });
    expect(r.status).toBe(422);
    expect(r.json.detail).toEqual([expect.objectContaining({ loc: ['body', 'shares', 0, 'reserved'] })]);
    expect((await shares()).shares).toEqual([]);
  });

  it('GraphQL: InvalidBudget naming reserved, nothing saved', async () => {
    const r = await gql(
      s.url,
      `mutation { setPoolShares(tool: "analysis", shares: [{ team: "powertrain", reserved: -1 }]) {
        __typename ... on InvalidBudget { field message } } }`,
    );
    expect(r.data?.setPoolShares).toMatchObject({ __typename: 'InvalidBudget', message: expect.stringMatching(/reserved for powertrain/) });
    expect((await shares()).shares).toEqual([]);
  });
});
