/**
 * Accounts: search, create (without a password: its holder sets one through a set-password link),
 * read, change, disable, enable, revoke tokens, reset second factors; the applications an account
 * has allowed, its links and its recent audit events.
 */
import { z } from 'zod';
import type { Account } from '../../../accounts/types.ts';
import type { AppContext } from '../../../context.ts';
import type { FactorSummary } from '../../../mfa/types.ts';
import { publicFactors } from '../../../mfa/public-view.ts';
import { ROLES } from '../../../operators/types.ts';
import { operation } from '../operation.ts';
import { decodeCursor, pageFromRows, pageInMemory, pageOf, paginationQuery } from '../pagination.ts';
import { Problem } from '../problem.ts';
import { AuditEventSchema, auditItem } from './audit.ts';
import { LinkSchema, linkItem } from './links.ts';

const name = z.string().trim().min(1).max(200);

/** Which second factors an account has (never the factors themselves). */
const FactorsSchema = z.object({
  totp: z.boolean().describe('an authenticator app is set up'),
  passkeys: z.number().int().describe('how many passkeys'),
  recovery_codes: z.number().int().describe('how many unused recovery codes'),
});

export const UserSchema = z.object({
  id: z.string(),
  login: z.string(),
  given_name: z.string().nullable(),
  family_name: z.string().nullable(),
  middle_name: z.string().nullable(),
  phone: z.string().nullable().describe('10 digits without the country code'),
  email_verified: z.boolean(),
  disabled: z.boolean(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  roles: z.array(z.enum(ROLES)).describe('operator roles the account holds'),
  factors: FactorsSchema.describe('the second factors the account has'),
});

/** What a list reads once for all its accounts (instead of once per account). */
interface ListFacts {
  roles: Map<string, string[]>;
  factors: Map<string, FactorSummary>;
}

/** The answer for an account: never its password hash. */
async function userItem(app: AppContext, account: Account, list?: ListFacts): Promise<z.input<typeof UserSchema>> {
  return {
    id: account.id,
    login: account.login,
    given_name: account.givenName,
    family_name: account.familyName,
    middle_name: account.middleName,
    phone: account.phone,
    email_verified: account.emailVerified,
    disabled: account.disabled,
    created_at: account.createdAt.toISOString(),
    updated_at: account.updatedAt.toISOString(),
    roles: (list ? (list.roles.get(account.id) ?? []) : await app.roles.rolesOf({ kind: 'account', id: account.id })) as (typeof ROLES)[number][],
    factors: publicFactors(list ? (list.factors.get(account.id)) : await app.secondFactors.summary(account.id)),
  };
}

const idParams = z.strictObject({ id: z.string().min(1).max(200).describe('account id (or login)') });
const UserWithRevoked = z.object({ user: UserSchema, revoked: z.number().int().describe('sessions, grants and tokens revoked') });

export const userOperations = [
  operation({
    id: 'listUsers',
    method: 'get',
    path: '/users',
    tag: 'users',
    summary: 'Find accounts by login, phone, name or id (everyone without a query), by login',
    permission: 'users:read',
    query: z.strictObject({ query: z.string().max(200).optional().describe('part of a login or a name (case-insensitive), digits of a phone, or an exact id'), ...paginationQuery }),
    status: 200,
    response: pageOf(UserSchema),
    async run({ query }, { app }) {
      const afterLogin = query.cursor === undefined ? undefined : String(decodeCursor(query.cursor, 1)[0]);
      const rows = await app.accounts.search(query.query, query.limit + 1, afterLogin);
      const roles = new Map<string, string[]>();
      for (const grant of await app.roles.list()) if (grant.subject.kind === 'account') roles.set(grant.subject.id, [...(roles.get(grant.subject.id) ?? []), grant.role]);
      const page = pageFromRows(rows, query.limit, (a) => [a.login], (a) => a);
      const factors = await app.secondFactors.summaries(page.items.map((a) => a.id));
      return { items: await Promise.all(page.items.map((a) => userItem(app, a, { roles, factors }))), next_cursor: page.next_cursor };
    },
  }),
  operation({
    id: 'createUser',
    method: 'post',
    path: '/users',
    tag: 'users',
    summary: 'Create an account without a password; issue it a set-password link next',
    permission: 'users:write',
    body: z.strictObject({
      login: z.string().max(254).describe('an e-mail address'),
      given_name: name.optional(),
      family_name: name.optional(),
      middle_name: name.optional(),
      phone: z.string().max(30).optional().describe('10 digits (a +7 or 8 prefix, spaces, dashes and brackets are accepted)'),
      email_verified: z.boolean().optional(),
    }),
    status: 201,
    response: UserSchema,
    problems: ['conflict'],
    async run({ body }, { app, operator }) {
      const account = await app.accounts.create(
        { login: body.login, givenName: body.given_name, familyName: body.family_name, middleName: body.middle_name, phone: body.phone, emailVerified: body.email_verified },
        operator.actor,
      );
      return userItem(app, account);
    },
  }),
  operation({
    id: 'getUser',
    method: 'get',
    path: '/users/{id}',
    tag: 'users',
    summary: 'Read an account',
    permission: 'users:read',
    params: idParams,
    status: 200,
    response: UserSchema,
    problems: ['not-found'],
    async run({ params }, { app }) {
      return userItem(app, await app.accounts.resolve(params.id));
    },
  }),
  operation({
    id: 'updateUser',
    method: 'patch',
    path: '/users/{id}',
    tag: 'users',
    summary: 'Change names, phone (null removes it) or e-mail verification',
    permission: 'users:write',
    params: idParams,
    body: z
      .strictObject({
        given_name: name.nullable().optional(),
        family_name: name.nullable().optional(),
        middle_name: name.nullable().optional(),
        phone: z.string().max(30).nullable().optional(),
        email_verified: z.boolean().optional(),
      })
      .refine((b) => Object.keys(b).length > 0, { message: 'name at least one field to change' }),
    status: 200,
    response: UserSchema,
    problems: ['not-found', 'conflict'],
    async run({ params, body }, { app, operator }) {
      const account = await app.accounts.update(
        params.id,
        { givenName: body.given_name, familyName: body.family_name, middleName: body.middle_name, phone: body.phone, emailVerified: body.email_verified },
        operator.actor,
      );
      return userItem(app, account);
    },
  }),
  operation({
    id: 'disableUser',
    method: 'post',
    path: '/users/{id}/disable',
    tag: 'users',
    summary: 'Disable an account: it can no longer sign in, and every session, grant and token it has is revoked',
    permission: 'users:manage',
    params: idParams,
    status: 200,
    response: UserWithRevoked,
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      const { account, revoked } = await app.accounts.disable(params.id, operator.actor);
      return { user: await userItem(app, account), revoked };
    },
  }),
  operation({
    id: 'enableUser',
    method: 'post',
    path: '/users/{id}/enable',
    tag: 'users',
    summary: 'Enable a disabled account again',
    permission: 'users:manage',
    params: idParams,
    status: 200,
    response: z.object({ user: UserSchema }),
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      return { user: await userItem(app, await app.accounts.enable(params.id, operator.actor)) };
    },
  }),
  operation({
    id: 'revokeUserTokens',
    method: 'post',
    path: '/users/{id}/revoke-tokens',
    tag: 'users',
    summary: 'Revoke every session, grant and token of an account (it stays enabled)',
    permission: 'users:manage',
    params: idParams,
    status: 200,
    response: UserWithRevoked,
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      const { account, revoked } = await app.accounts.revokeTokens(params.id, operator.actor);
      return { user: await userItem(app, account), revoked };
    },
  }),
  operation({
    id: 'resetUserMfa',
    method: 'post',
    path: '/users/{id}/mfa/reset',
    tag: 'users',
    summary: 'Remove every second factor of an account (authenticator app, passkeys, recovery codes) and revoke its sessions and tokens',
    description:
      'As `propusk admin user reset-mfa`: for a person who lost their factors. Every session, grant and token of the account is revoked; ' +
      'the next sign-in that needs a second factor sets one up again. Audited as `mfa.reset` (then `account.tokens_revoked`).',
    permission: 'users:manage',
    params: idParams,
    status: 200,
    response: z.object({ user: UserSchema, removed: FactorsSchema.describe('the factors the account had') }),
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      const account = await app.accounts.resolve(params.id);
      const before = await app.secondFactors.summary(account.id);
      await app.secondFactors.reset(account.id, operator.actor);
      return { user: await userItem(app, account), removed: publicFactors(before) };
    },
  }),
  operation({
    id: 'listUserApplications',
    method: 'get',
    path: '/users/{id}/applications',
    tag: 'users',
    summary: 'The applications an account has allowed (what its holder sees on /account), by client id',
    permission: 'users:read',
    params: idParams,
    query: z.strictObject(paginationQuery),
    status: 200,
    response: pageOf(
      z.object({
        client_id: z.string(),
        client_name: z.string().nullable(),
        scopes: z.array(z.string()),
        granted_at: z.iso.datetime().nullable(),
        last_used_at: z.iso.datetime().nullable(),
        remembered: z.boolean().describe('the consent is remembered across browser sessions'),
      }),
    ),
    problems: ['not-found'],
    async run({ params, query }, { app }) {
      const account = await app.accounts.resolve(params.id);
      const apps = await app.revocation.applicationsOf(account.id);
      const names = new Map((await app.clients.list()).map((c) => [c.clientId, c.name]));
      return pageInMemory(apps, query, { arity: 1, of: (a) => [a.clientId] }, (a) => ({
        client_id: a.clientId,
        client_name: names.get(a.clientId) ?? null,
        scopes: a.scopes,
        granted_at: a.grantedAt?.toISOString() ?? null,
        last_used_at: a.lastUsedAt?.toISOString() ?? null,
        remembered: a.remembered,
      }));
    },
  }),
  operation({
    id: 'listUserLinks',
    method: 'get',
    path: '/users/{id}/links',
    tag: 'users',
    summary: 'The partner users linked to an account, by client and service user id',
    permission: 'users:read',
    params: idParams,
    query: z.strictObject(paginationQuery),
    status: 200,
    response: pageOf(LinkSchema),
    problems: ['not-found'],
    async run({ params, query }, { app }) {
      const account = await app.accounts.resolve(params.id);
      const after = query.cursor === undefined ? undefined : (decodeCursor(query.cursor, 2).map(String) as [string, string]);
      const rows = await app.links.list({ accountId: account.id }, { after, limit: query.limit + 1 });
      return pageFromRows(rows, query.limit, (l) => [l.clientId, l.serviceUserId], linkItem);
    },
  }),
  operation({
    id: 'listUserEvents',
    method: 'get',
    path: '/users/{id}/events',
    tag: 'users',
    summary: 'The audit events about an account, newest first',
    permission: 'users:read',
    params: idParams,
    query: z.strictObject(paginationQuery),
    status: 200,
    response: pageOf(AuditEventSchema),
    problems: ['not-found'],
    async run({ params, query }, { app }) {
      const account = await app.accounts.resolve(params.id);
      const beforeId = query.cursor === undefined ? undefined : Number(decodeCursor(query.cursor, 1)[0]);
      if (beforeId !== undefined && !Number.isSafeInteger(beforeId)) throw new Problem('invalid-cursor', 'cursor is not a value of next_cursor');
      const rows = await app.audit.page({ accountId: account.id }, query.limit + 1, beforeId);
      return pageFromRows(rows, query.limit, (e) => [e.id!], auditItem);
    },
  }),
];
