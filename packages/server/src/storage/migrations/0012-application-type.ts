/**
 * Clients get an `application_type` (`web` or `native`, as in OpenID Connect Dynamic Client
 * Registration): only native clients may use any port on a loopback redirect URI (RFC 8252).
 * Existing clients keep the type they were given so far (native when a redirect URI is not https)
 * if they are public; confidential ones become web, unless a redirect URI uses a private-use scheme
 * (which only native clients may register). Portable SQL only.
 */
import { sql, type Kysely } from 'kysely';

interface Row {
  client_id: string;
  public: number | boolean;
  redirect_uris: string;
  post_logout_redirect_uris: string;
}

/** Whether a registered URI is neither http nor https (a private-use scheme such as `com.example.app:/cb`). */
const privateUse = (uri: string) => !/^https?:/i.test(uri);
const notHttps = (uri: string) => !/^https:/i.test(uri);

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('client').addColumn('application_type', 'varchar(10)', (c) => c.notNull().defaultTo('web')).execute();
  const { rows } = await sql<Row>`select client_id, public, redirect_uris, post_logout_redirect_uris from client`.execute(db);
  for (const row of rows) {
    const uris = [...(JSON.parse(row.redirect_uris) as string[]), ...(JSON.parse(row.post_logout_redirect_uris) as string[])];
    if (uris.some(Number(row.public) === 1 ? notHttps : privateUse)) {
      await sql`update client set application_type = 'native' where client_id = ${row.client_id}`.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('client').dropColumn('application_type').execute();
}
