/**
 * `partner add-key`: registers the certificate or public key a partner signs trusted-grant JWTs
 * with — an X.509 certificate (PEM), an SPKI public key (PEM) or a JWK/JWKS (JSON); RSA, at least
 * 2048 bits; `--file -` reads standard input. `--require-aud` also makes the partner's JWTs carry
 * `aud` (as `partner require-aud` does).
 */
import { readFile, stat } from 'node:fs/promises';
import { command, readStdin, requireString, table } from '../command.ts';
import { MAX_INPUT_LENGTH } from '../../partners/parse-key.ts';
import { invalid } from '../../shared/errors.ts';
import { partnerKeyColumns, publicPartnerKey } from './partner-list-keys.ts';

async function readKeyFile(path: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (path === '-') return readStdin(stdin);
  try {
    // parsePartnerKey refuses anything longer; do not read a huge file to find out.
    if ((await stat(path)).size > MAX_INPUT_LENGTH * 4) throw invalid(`${path} is too large for a certificate or key`);
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw invalid(`cannot read ${path}: no such file`);
    if (code === 'EISDIR') throw invalid(`cannot read ${path}: it is a directory`);
    if (code === 'EACCES') throw invalid(`cannot read ${path}: permission denied`);
    throw err;
  }
}

export const partnerAddKey = command({
  name: 'partner add-key',
  summary: 'register a partner certificate or public key for the trusted grant',
  usage: 'partner add-key <client_id> --file <path to PEM certificate, PEM public key, JWK or JWKS; - for stdin> [--require-aud] [--json]',
  examples: ["partner add-key partner.crm --file partner-cert.pem", "partner add-key partner.crm --file - --require-aud < partner-jwks.json"],
  options: {
    file: { type: 'string', description: 'a PEM certificate, a PEM public key, a JWK or a JWKS (RSA, at least 2048 bits); `-` reads standard input (required)' },
    'require-aud': { type: 'boolean', description: "also require `aud` in the partner's JWTs (as `partner require-aud`)" },
  },
  positionals: [{ name: 'client_id', description: 'the partner client' }],
  async run(ctx, { values, positionals }, io) {
    const clientId = positionals[0]!;
    const input = await readKeyFile(requireString(values, 'file', this.usage), io.stdin);
    const added = await ctx.partnerKeys.add(clientId, input, 'admin-cli');
    if (values['require-aud'] === true) {
      await ctx.clients.setPartnerRequireAud(clientId, true, 'admin-cli');
    }
    return added.map(publicPartnerKey);
  },
  format: (keys) => `registered ${keys.length} partner key(s)\n${table(keys, partnerKeyColumns)}`,
});
