/** `keys rotate`: a new signing key signs from now on; the previous ones stay published for the overlap. */
import { command } from '../command.ts';

export const keysRotate = command({
  name: 'keys rotate',
  summary: 'rotate the signing key (old keys stay in the JWKS for the overlap period)',
  usage: 'keys rotate [--json]',
  examples: ["keys rotate"],
  options: {},
  async run(ctx) {
    const result = await ctx.keys.rotate('admin-cli');
    return { kid: result.kid, retired: result.retired, overlap_seconds: ctx.config.keyOverlapSeconds };
  },
  format: ({ kid, overlap_seconds }) => `new signing key ${kid}; previous keys stay published for ${overlap_seconds} s\n`,
});
