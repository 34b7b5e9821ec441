/**
 * Device-code polling: POST /connect/token grant_type=device_code as the device client, rotating
 * through the seeded pending codes (nobody approves them). The expected answer is HTTP 400
 * `authorization_pending`; anything else — `slow_down` included — is wrong and invalidates the row.
 *
 * Pace: a code polled again sooner than its interval (3 s, less a 250 ms grace) gets `slow_down`.
 * The load runs at a fixed rate below codes ÷ interval: with 10,000 codes, 3,174 polls/s poll each
 * code every ~3.15 s. The margin is for autocannon's pacing: each connection sends its per-second
 * budget as fast as answers come, then waits for the next second, so a code's place inside its
 * second shifts with the server's speed. With 1 % (3,300/s) a core that slowed down and sped up
 * again within three seconds got some codes back 0.3 s early: `slow_down`, an invalid row
 * (once in a full run on the noisy host). The target: ≥ 3,000 polls/s with p99 < 50 ms.
 */
import { DEVICE_GRANT } from '../lib/seed.ts';
import { form, json, rotatingBody, type LoadScenario } from './types.ts';

/** The default poll interval (PROPUSK_DEVICE_POLL_INTERVAL). */
const INTERVAL_SECONDS = 3;
/** Polls per second at most: as close to codes ÷ interval as keeps every code on time. */
const MAX_RATE = 3_300;

/** Each code comes back after at least this many intervals (see the pace note above). */
const MARGIN = 1.05;

/** The rate for `codes` pending codes: each code polled at most once per interval (+5 % margin). */
export function pollRate(codes: number): number {
  return Math.max(1, Math.min(MAX_RATE, Math.floor(codes / (INTERVAL_SECONDS * MARGIN))));
}

export const devicePoll: LoadScenario = {
  name: 'device-poll',
  summary: `POST /connect/token grant_type=device_code rotating through the seeded pending codes at a fixed rate (each code at most once per ${INTERVAL_SECONDS} s interval); expected answer 400 authorization_pending, slow_down counts as an error`,
  needs: ['device-codes'],
  comparableOn: [],
  load: {
    checkEveryResponse: true,
    overallRate: (target) => pollRate(target.fixtures.deviceCodes.length),
  },
  requests: (target) => {
    const { device, deviceCodes } = target.fixtures;
    if (!device || deviceCodes.length === 0) throw new Error('device-poll needs seeded device codes');
    const request = { method: 'POST' as const, path: target.paths.token, headers: { ...target.headers, 'content-type': 'application/x-www-form-urlencoded' } };
    return [rotatingBody(request, deviceCodes, (device_code) => form({ grant_type: DEVICE_GRANT, device_code, client_id: device.clientId, client_secret: device.secret }), { wrap: true })];
  },
  check: (status, body) => {
    const error = json(body)?.error;
    if (status === 400 && error === 'authorization_pending') return undefined;
    return `status ${status} ${typeof error === 'string' ? error : body.slice(0, 200)} (expected 400 authorization_pending)`;
  },
};
