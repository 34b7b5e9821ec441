/**
 * The device flow's polling pace, around oidc-provider's device_code grant: `slow_down`
 * (RFC 8628 §3.5) for a device that polls faster than its interval (device/polls.ts), and the
 * still-waiting answer without a second read of the code.
 */
import { errors } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { DevicePollRepository } from '../device/polls.ts';
import { wrapGrantHandler } from './seam/configuration.ts';
import { answersAuthorizationPending } from './seam/device.ts';
import { hashId } from '../storage/oidc-adapter.ts';
import { DEVICE_CODE_GRANT } from '../clients/types.ts';

export interface PollPacing {
  polls: DevicePollRepository;
  /** The `interval` the device authorization response announces, in seconds. */
  initialIntervalSeconds: number;
  now?: () => number;
}

/**
 * Wraps oidc-provider's device_code grant: a poll of a live, unconsumed device code of this client
 * first passes the pace check (device/polls.ts); too soon is `slow_down`. Unknown, foreign,
 * expired and consumed codes go straight to oidc-provider (invalid_grant / expired_token), so no
 * pace record is ever created for them.
 */
export function paceDevicePolling(provider: Provider, pacing: PollPacing): void {
  const now = pacing.now ?? Date.now;
  wrapGrantHandler(provider, DEVICE_CODE_GRANT, (original) => async (ctx) => {
    const id = ctx.oidc.params?.device_code;
    if (typeof id === 'string' && id.length > 0) {
      const code = await provider.DeviceCode.find(id, { ignoreExpiration: true });
      if (code && code.clientId === ctx.oidc.client?.clientId && !code.isExpired && !code.consumed && code.exp) {
        const { verdict, intervalSeconds } = await pacing.polls.recordPoll({
          // Keyed like the device code's own row: by the hash of the code (storage/oidc-adapter.ts).
          id: hashId(code.jti),
          now: now(),
          initialIntervalSeconds: pacing.initialIntervalSeconds,
          expiresAt: code.exp * 1000,
        });
        if (verdict === 'slow_down') {
          throw new errors.SlowDown(`polling too fast: wait at least ${intervalSeconds} seconds between requests for this device code`);
        }
        // Still waiting for the user: the answer oidc-provider's handler would give for this code
        // after reading the same row again. Polls are the device flow's hot path, so the second read
        // is skipped (provider/seam/device.ts).
        if (answersAuthorizationPending(ctx, code)) {
          throw new errors.AuthorizationPending();
        }
      }
    }
    await original(ctx);
  });
}
