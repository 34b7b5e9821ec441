/**
 * Polling pace of the device flow's token requests (RFC 8628 §3.5): a device code polled again
 * sooner than its current interval after its previous poll is answered `slow_down`, and that code's
 * interval grows by 5 seconds for every later poll. The first poll is never throttled. The state
 * lives in storage so the rule holds across processes and instances.
 */

/** How much a `slow_down` adds to the code's interval (RFC 8628 §3.5). */
export const SLOW_DOWN_STEP_SECONDS = 5;
/**
 * A poll this much early still counts as on time: clients measure the interval from the previous
 * response, we from the previous request, and instances' clocks differ a little.
 */
export const POLL_GRACE_MS = 250;

export interface PollRecord {
  /** The device code's id. */
  id: string;
  /** When this poll arrived (epoch ms). */
  now: number;
  /** The interval a code starts with (the `interval` of the device authorization response). */
  initialIntervalSeconds: number;
  /** When the device code expires (epoch ms): the record may be deleted after that. */
  expiresAt: number;
}

export interface PollVerdict {
  /** `ok`: the poll may proceed. `slow_down`: too soon; the interval has grown. */
  verdict: 'ok' | 'slow_down';
  /** The code's interval after this poll, in seconds. */
  intervalSeconds: number;
}

export interface DevicePollRepository {
  /**
   * Records a poll and decides it atomically: of two concurrent polls of one code (in any
   * processes), at most one is `ok` unless the interval has passed for both.
   */
  recordPoll(poll: PollRecord): Promise<PollVerdict>;
}
