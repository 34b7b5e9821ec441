/**
 * Login storm: introspection at a fixed, modest rate measured twice — alone, then while the
 * code-flow loop (argon2id sign-ins) saturates Propusk's core. argon2id runs on libuv's thread
 * pool, not on the event loop, so introspection keeps flowing; on one pinned core the hashing
 * threads still take their share of the CPU, and the p99 shows what that costs. Three rows:
 * introspection alone, introspection during the storm (its CPU per request is left out: the
 * process's CPU time is mostly hashing then), and the sign-ins completed during the storm.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { runLoop, runPaced } from '../lib/loop.ts';
import { judge, type Row } from '../lib/report.ts';
import { progressLine, withServerClock } from '../lib/rows.ts';
import { FLOW_CONCURRENCY, probeFlow, signInStep } from './code-flow.ts';
import { basicAuth, form, json, type CustomScenario, type Target } from './types.ts';

/** Introspections per second during both measurements, sent evenly (one every 5 ms). */
const RATE = 200;

/** Introspection of the seeded tokens in turn, checked (active), at RATE for `seconds`. */
function introspectPaced(target: Target, seconds: number) {
  const { tokens, introspector } = target.fixtures;
  if (tokens.length === 0) throw new Error('login-storm needs seeded tokens');
  const headers = { ...target.headers, 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(introspector) };
  return runPaced({
    rate: RATE,
    seconds,
    send: async (i) => {
      const res = await fetch(`${target.url}/connect/introspect`, { method: 'POST', headers, body: form({ token: tokens[i % tokens.length]!, token_type_hint: 'access_token' }), signal: AbortSignal.timeout(30_000) });
      const body = await res.text();
      return { status: res.status, problem: res.status === 200 && json(body)?.active !== true ? `active is not true: ${body.slice(0, 200)}` : undefined };
    },
  });
}

export const loginStorm: CustomScenario = {
  kind: 'custom',
  name: 'login-storm',
  summary: `introspection at a steady ${RATE}/s (one every ${1000 / RATE} ms, latency from when each was due) alone, then while ${FLOW_CONCURRENCY} concurrent code flows (argon2id sign-ins) saturate the core; the third row is the sign-ins/s during the storm`,
  needs: ['tokens', 'users'],
  comparableOn: [],
  run: async (bench) => {
    const { target, pid, settings } = bench;
    const failed = await probeFlow(target, 'login-storm');
    if (failed) return [failed];
    if (settings.warmup > 0) await introspectPaced(target, settings.warmup);
    const alone = await withServerClock({ scenario: 'login-storm: introspect alone', server: 'propusk', offeredRate: RATE }, pid, () => introspectPaced(target, settings.duration));

    const stop = new AbortController();
    const storm = runLoop({ concurrency: FLOW_CONCURRENCY, step: signInStep(target), signal: stop.signal });
    let during: Row;
    let flows;
    try {
      // Let the storm reach its pace before measuring.
      await sleep(Math.max(1, settings.warmup) * 1000);
      // The process's CPU time during the storm is mostly hashing: not a figure per introspection.
      during = await withServerClock({ scenario: 'login-storm: introspect during', server: 'propusk', offeredRate: RATE }, pid, () => introspectPaced(target, settings.duration), { cpu: false });
    } finally {
      stop.abort();
      flows = await storm;
    }
    const signIns = judge({ scenario: 'login-storm: sign-ins during', server: 'propusk', unit: 'flows', measurement: flows });
    console.log(progressLine(signIns));
    if (alone.measurement && during.measurement) {
      bench.note(`login-storm: introspection p99 ${alone.measurement.p99.toFixed(1)} ms alone → ${during.measurement.p99.toFixed(1)} ms (p50 ${alone.measurement.p50.toFixed(1)} → ${during.measurement.p50.toFixed(1)} ms) while ${flows.rps.toFixed(1)} sign-ins/s ran on the same core.`);
    }
    return [alone, during, signIns];
  },
};
