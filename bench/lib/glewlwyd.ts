/**
 * The optional peer `--peer glewlwyd`: Glewlwyd (an OpenID Connect provider in C, Debian's
 * `glewlwyd` package) on a throwaway configuration and SQLite database in the bench's temporary
 * directory, started on the server core like the others. See "Peer: Glewlwyd" in docs/performance.md.
 *
 * Set up before it starts, from the package's own files:
 * - the database from the package's SQLite script (dbconfig-common's install script, or the
 *   gzipped copy under /usr/share/doc/glewlwyd/database), run with node:sqlite, in WAL mode;
 * - one oidc plugin instance `oidc` (URLs under /api/oidc/) with an RSA-2048 key generated here
 *   (RS256, PEM), the https issuer, client_credentials enabled and non-OIDC OAuth2 requests allowed
 *   (a client_credentials request has no `openid` scope: without that option it is refused);
 * - the scope `extern.api` and a confidential client `bench.service` (client_credentials,
 *   client_secret_post, scope extern.api, a random secret), through SQL, as the client database
 *   module stores them (g_client, g_client_property, g_client_scope).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { DatabaseSync } from 'node:sqlite';
import type { Credentials } from '../scenarios/types.ts';

/** Debian's binary; PROPUSK_BENCH_GLEWLWYD overrides it (a missing path simulates "not installed"). */
export const GLEWLWYD_BINARY_ENV = 'PROPUSK_BENCH_GLEWLWYD';
const DEFAULT_BINARY = '/usr/bin/glewlwyd';

/** The package's SQLite initialisation script, in the order tried. */
const SQL_SCRIPTS = ['/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3', '/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz'];

/** Where Debian's package puts the modules the configuration names. */
const MODULE_DIR = '/usr/lib/glewlwyd';

/** The oidc plugin instance's name: its endpoints are /api/<name>/… */
export const GLEWLWYD_PLUGIN = 'oidc';

/** How to get it, for the report when it is not there. */
export const GLEWLWYD_INSTALL_HINT = 'install Debian\'s package: `apt-get install glewlwyd` (Glewlwyd 2.7.5 on Debian 12)';

export function glewlwydBinary(): string {
  return process.env[GLEWLWYD_BINARY_ENV] || DEFAULT_BINARY;
}

/** Why Glewlwyd cannot be run here, or undefined when its binary and SQL script are present. */
export function glewlwydMissing(): string | undefined {
  const binary = glewlwydBinary();
  if (!existsSync(binary)) return `${binary} not found`;
  if (!SQL_SCRIPTS.some((f) => existsSync(f))) return `the package's SQLite script is missing (${SQL_SCRIPTS.join(' or ')})`;
  return undefined;
}

function initScript(): string {
  const file = SQL_SCRIPTS.find((f) => existsSync(f));
  if (!file) throw new Error(`no Glewlwyd SQLite script (${SQL_SCRIPTS.join(', ')})`);
  const raw = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

export interface PreparedGlewlwyd {
  /** The generated configuration file (libconfig syntax), for `--config-file`. */
  configFile: string;
  client: Credentials;
}

/**
 * The oidc plugin's parameters. Names and values as the package's admin application sends them
 * (its defaults for a new instance), keeping only what this setup needs; everything not named
 * takes the plugin's own default.
 */
function pluginParameters(issuer: string, key: string, cert: string): Record<string, unknown> {
  return {
    iss: issuer,
    'jwt-type': 'rsa',
    'jwt-key-size': '256',
    key,
    cert,
    'jwks-show': true,
    'access-token-duration': 3600,
    'refresh-token-duration': 1209600,
    'code-duration': 600,
    'refresh-token-rolling': true,
    'allow-non-oidc': true,
    'auth-type-code-enabled': true,
    'auth-type-token-enabled': false,
    'auth-type-id-token-enabled': true,
    'auth-type-none-enabled': false,
    'auth-type-password-enabled': false,
    'auth-type-client-enabled': true,
    'auth-type-device-enabled': false,
    'auth-type-refresh-enabled': true,
    'allowed-scope': ['openid', 'extern.api'],
    scope: [],
    'additional-parameters': [],
    claims: [],
    'secret-type': 'pairwise',
    'name-claim': 'no',
    'email-claim': 'no',
    'scope-claim': 'no',
    'address-claim': { type: 'no', formatted: '', street_address: '', locality: '', region: '', postal_code: '', country: '', mandatory: false },
    'introspection-revocation-allowed': true,
    'introspection-revocation-auth-scope': [],
    'introspection-revocation-allow-target-client': true,
    'request-parameter-allow': false,
  };
}

/** Writes the configuration file and the database for a Glewlwyd listening on 127.0.0.1:port. */
export function prepareGlewlwyd(dir: string, port: number, issuer: string): PreparedGlewlwyd {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(join(dir, 'glewlwyd-key.pem'), key, { mode: 0o600 });
  writeFileSync(join(dir, 'glewlwyd-public.pem'), cert);

  const client: Credentials = { clientId: 'bench.service', secret: randomBytes(18).toString('base64url') };
  const dbFile = join(dir, 'glewlwyd.sqlite');
  const db = new DatabaseSync(dbFile);
  try {
    // WAL, as Propusk's own SQLite file: the mode is stored in the file, so Glewlwyd's connections
    // use it too. With the default rollback journal its token endpoint did ~20 requests/s here.
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(initScript());
    db.prepare("INSERT INTO g_plugin_module_instance (gpmi_module, gpmi_name, gpmi_display_name, gpmi_parameters, gpmi_enabled) VALUES ('oidc', ?, 'OpenID Connect (bench)', ?, 1)").run(GLEWLWYD_PLUGIN, JSON.stringify(pluginParameters(issuer, key, cert)));
    db.prepare("INSERT INTO g_scope (gs_name, gs_display_name, gs_description, gs_password_required, gs_password_max_age) VALUES ('extern.api', 'extern.api', 'bench scope', 0, 0)").run();
    const { lastInsertRowid: clientRow } = db.prepare('INSERT INTO g_client (gc_client_id, gc_name, gc_confidential, gc_enabled) VALUES (?, ?, 1, 1)').run(client.clientId, client.clientId);
    const property = db.prepare('INSERT INTO g_client_property (gc_id, gcp_name, gcp_value) VALUES (?, ?, ?)');
    // client_secret is compared as stored; a client "password" would be hashed (see the package's OIDC.md).
    property.run(clientRow, 'client_secret', client.secret);
    property.run(clientRow, 'authorization_type', 'client_credentials');
    property.run(clientRow, 'token_endpoint_auth_method', 'client_secret_post');
    db.prepare("INSERT INTO g_client_scope (gcs_name) VALUES ('extern.api')").run();
    db.prepare("INSERT INTO g_client_scope_client (gc_id, gcs_id) VALUES (?, (SELECT gcs_id FROM g_client_scope WHERE gcs_name = 'extern.api'))").run(clientRow);
  } finally {
    db.close();
  }

  // No `use_secure_connection` line at all: Glewlwyd 2.7 wants certificate files as soon as the
  // setting is present, whatever its value. No static files (the admin web application) either.
  const configFile = join(dir, 'glewlwyd.conf');
  writeFileSync(
    configFile,
    [
      `port=${port}`,
      'bind_address="127.0.0.1"',
      `external_url="${issuer}"`,
      'login_url="login.html"',
      'api_prefix="api"',
      'log_mode="console"',
      'log_level="ERROR"',
      'cookie_secure=0',
      'session_expiration=2419200',
      'session_key="GLEWLWYD2_SESSION_ID"',
      'admin_scope="g_admin"',
      'profile_scope="g_profile"',
      `user_module_path="${MODULE_DIR}/user"`,
      `client_module_path="${MODULE_DIR}/client"`,
      `user_auth_scheme_module_path="${MODULE_DIR}/scheme"`,
      `plugin_module_path="${MODULE_DIR}/plugin"`,
      'hash_algorithm="SHA512"',
      'database =',
      '{',
      '  type = "sqlite3"',
      `  path = "${dbFile}"`,
      '};',
      '',
    ].join('\n'),
  );
  return { configFile, client };
}
