/**
 * The authorization code flow with a password, as a browser without JavaScript does it: authorize
 * → sign-in page → POST login and password (argon2id, m=19 MiB, t=2) → consent page when the
 * account has not granted the scopes yet → code → POST /connect/token. One flow is one unit: the
 * row's req/s is flows per second and its latencies are those of whole flows. Each flow starts with
 * an empty cookie jar, so every flow verifies a password. A custom loop (lib/loop.ts) drives it:
 * autocannon sends one kind of request, not a flow. Keycloak's anchor: 15 password logins/s per
 * vCPU; the target: ≥ 45/s per core.
 */
import { Browser, signInFlow } from '../lib/browser.ts';
import { runLoop } from '../lib/loop.ts';
import { measureLoopRow } from '../lib/rows.ts';
import type { Row } from '../lib/report.ts';
import type { CustomScenario, Target } from './types.ts';

/** Flows in progress at once: enough to keep the hashing threads and the event loop of one core busy. */
export const FLOW_CONCURRENCY = 16;

/** One whole sign-in per call, rotating through the seeded accounts. */
export function signInStep(target: Target): () => Promise<void> {
  const users = target.fixtures.users;
  if (users.length === 0 || !target.fixtures.web) throw new Error('code-flow needs seeded users and the web client');
  let next = 0;
  return async () => {
    const user = users[next++ % users.length]!;
    await signInFlow(new Browser(target), user);
  };
}

/** One flow checked first: a scenario that does not reach the token is reported, not measured. */
export async function probeFlow(target: Target, scenario: string): Promise<Row | undefined> {
  try {
    await signInStep(target)();
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    console.error(`!! propusk / ${scenario}: check failed, not measured: ${message}`);
    return { scenario, server: 'propusk', skipped: `check failed: ${message}` };
  }
}

export const codeFlow: CustomScenario = {
  kind: 'custom',
  name: 'code-flow',
  summary: `whole authorization code flows per second (req/s = flows/s, latency of a whole flow): authorize → sign-in page → POST password (argon2id) → consent (an account's first flow only: consent is remembered per account and client) → code → token, ${FLOW_CONCURRENCY} flows at a time, new cookie jar each`,
  needs: ['users'],
  comparableOn: [],
  run: async (bench) => {
    const failed = await probeFlow(bench.target, 'code-flow');
    if (failed) return [failed];
    const step = signInStep(bench.target);
    const row = await measureLoopRow(bench.settings, { scenario: 'code-flow', server: 'propusk', unit: 'flows' }, bench.pid, (seconds) => runLoop({ concurrency: FLOW_CONCURRENCY, seconds, step }));
    if (row.cpuUsPerRequest) bench.note(`code-flow: ${row.measurement!.rps.toFixed(1)} sign-ins/s measured; ${(1e6 / row.cpuUsPerRequest).toFixed(1)} per whole core from CPU time (10⁶ ÷ ${row.cpuUsPerRequest.toFixed(0)} µs per flow, all threads of the process, argon2id's included).`);
    return [row];
  },
};
