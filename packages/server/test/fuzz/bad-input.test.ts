/**
 * The bad-input campaign (campaign.ts) with a fixed seed: FUZZ_RUNS requests (default 10,000;
 * `npm run fuzz` sends 200,000), FUZZ_SEED to reproduce another run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCampaign } from './campaign.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);

describe('bad input on every endpoint', () => {
  it(`${RUNS} generated requests: never 5xx, standard errors, no change by rejected requests, database intact`, { timeout: Math.max(120_000, RUNS * 15) }, async () => {
    const result = await runCampaign({ runs: RUNS, seed: SEED, concurrency: 24 });
    assert.equal(result.requests, RUNS);
    const summary = [...result.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    // The campaign reaches past input validation: some requests succeed, most are refused.
    assert.ok([...result.statuses.keys()].some((s) => s < 300), `some requests succeed: ${summary}`);
    assert.ok((result.statuses.get(413) ?? 0) > 0, `oversized bodies were sent: ${summary}`);
    assert.ok((result.changes.get('oidc_model INSERT ClientCredentials') ?? 0) > 0, `the database watch sees the tokens of valid requests: ${JSON.stringify([...result.changes])}`);
    assert.ok((result.changes.get('audit_event INSERT') ?? 0) > 0, 'and the audit trail of refused ones');
    console.log(`bad-input campaign (seed ${SEED}): ${summary}`);
  });
});
