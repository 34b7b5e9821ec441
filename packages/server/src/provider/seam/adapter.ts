/**
 * Seam: what the storage adapter (storage/oidc-adapter.ts) assumes about the payloads oidc-provider
 * hands it beyond the adapter contract. The adapter keeps bearer secrets out of the database, so it
 * must know which payload fields hold one; and its conditional consume relies on every single-use
 * model consuming through the adapter. Nothing here runs: the list is checked by the seam test.
 */
import type { Assumption } from './assumption.ts';

export const assumptions: Assumption[] = [
  {
    name: 'Interaction: its copy of the session carries the session cookie as session.cookie',
    file: 'lib/models/interaction.js',
    line: 13,
    text: '...(session.jti ? { cookie: session.jti } : undefined),',
    why: 'the adapter drops that copy of the cookie (oidc-provider never reads it back), so no session cookie is stored',
    removeWhen: 'oidc-provider stops copying the session cookie into interactions',
  },
  {
    name: 'Interaction: the device code being approved is kept as deviceCode',
    file: 'lib/actions/authorization/interactions.js',
    line: 116,
    text: 'deviceCode: oidc.deviceCode?.jti,',
    why: 'the adapter seals that device code (a bearer secret) instead of storing it',
    removeWhen: 'never while the device flow keeps the code in the interaction; the line only locates it',
  },
  {
    name: 'AuthorizationCode.consume goes through the adapter',
    file: 'lib/models/authorization_code.js',
    line: 30,
    text: 'await this.adapter.consume(this.jti);',
    why: 'the adapter’s conditional consume lets exactly one of two racing exchanges win',
    removeWhen: 'never: adapter contract; the line only locates it',
  },
  {
    name: 'RefreshToken.consume goes through the adapter',
    file: 'lib/models/refresh_token.js',
    line: 48,
    text: 'await this.adapter.consume(this.jti);',
    why: 'the adapter’s conditional consume lets exactly one of two racing refreshes win',
    removeWhen: 'never: adapter contract; the line only locates it',
  },
  {
    name: 'DeviceCode.consume goes through the adapter',
    file: 'lib/models/device_code.js',
    line: 48,
    text: 'await this.adapter.consume(this.jti);',
    why: 'the adapter’s conditional consume lets exactly one of two racing polls win',
    removeWhen: 'never: adapter contract; the line only locates it',
  },
];
