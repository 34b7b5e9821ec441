/** `keys rotate`: a new signing key of every algorithm in use signs from now on; the previous ones stay published for the overlap. */
import { command } from '../command.ts';

export const keysRotate = command({
  name: 'keys rotate',
  summary: 'rotate the signing keys: a new key per algorithm in use (old keys stay in the JWKS for the overlap period)',
  usage: 'keys rotate [--json]',
  examples: ["keys rotate"],
  options: {},
  async run(ctx) {
    const result = await ctx.keys.rotate('admin-cli');
    return { kid: result.kid, keys: result.keys, retired: result.retired, overlap_seconds: ctx.config.keyOverlapSeconds };
  },
  format: ({ keys, overlap_seconds }) => `${keys.map((k) => `new ${k.alg} signing key ${k.kid}\n`).join('')}previous keys stay published for ${overlap_seconds} s\n`,
});
