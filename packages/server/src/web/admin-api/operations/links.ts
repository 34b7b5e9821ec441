/** Links between a partner's user (its service user id) and an account: the support desk's manual linking. */
import { z } from 'zod';
import type { ExternalLink } from '../../../linking/types.ts';
import { operation } from '../operation.ts';
import { decodeCursor, pageFromRows, pageOf, paginationQuery } from '../pagination.ts';

export const LinkSchema = z.object({
  client_id: z.string().describe('the partner client'),
  service_user_id: z.string().describe('the partner\'s id of its user (the `sub` of its trusted-grant JWTs)'),
  account_id: z.string(),
  created_at: z.iso.datetime(),
  created_by: z.enum(['support', 'partner']).describe('`support` (an operator) or `partner` (the linking API, by phone)'),
});

export const linkItem = (l: ExternalLink): z.input<typeof LinkSchema> => ({
  client_id: l.clientId,
  service_user_id: l.serviceUserId,
  account_id: l.accountId,
  created_at: l.createdAt.toISOString(),
  created_by: l.createdBy,
});

const id = z.string().min(1).max(200);

export const linkOperations = [
  operation({
    id: 'listLinks',
    method: 'get',
    path: '/links',
    tag: 'links',
    summary: 'Find links by partner client, service user id or account, by client and service user id',
    permission: 'links:read',
    query: z.strictObject({ client_id: id.optional(), service_user_id: id.optional(), user: id.optional().describe('account id or login'), ...paginationQuery }),
    status: 200,
    response: pageOf(LinkSchema),
    problems: ['not-found'],
    async run({ query }, { app }) {
      const accountId = query.user === undefined ? undefined : (await app.accounts.resolve(query.user)).id;
      const after = query.cursor === undefined ? undefined : (decodeCursor(query.cursor, 2).map(String) as [string, string]);
      const rows = await app.links.list({ clientId: query.client_id, serviceUserId: query.service_user_id, accountId }, { after, limit: query.limit + 1 });
      return pageFromRows(rows, query.limit, (l) => [l.clientId, l.serviceUserId], linkItem);
    },
  }),
  operation({
    id: 'createLink',
    method: 'post',
    path: '/links',
    tag: 'links',
    summary: 'Link a partner\'s user to an account (201; 200 when this very link exists; 409 when the user is linked to another account)',
    permission: 'links:write',
    body: z.strictObject({ client_id: id, service_user_id: id, user: id.describe('account id or login') }),
    status: 201,
    alternate: { status: 200, when: (r) => r.existed === true, description: 'The same link existed already; nothing changed' },
    response: LinkSchema.extend({ existed: z.boolean() }),
    problems: ['not-found', 'conflict'],
    async run({ body }, { app, operator }) {
      const account = await app.accounts.resolve(body.user);
      const { outcome, link } = await app.links.createBySupport(body.client_id, body.service_user_id, account.id, operator.actor);
      return { ...linkItem(link), existed: outcome === 'exists' };
    },
  }),
  operation({
    id: 'removeLink',
    method: 'delete',
    path: '/links/{client_id}/{service_user_id}',
    tag: 'links',
    summary: 'Remove a link: the partner\'s trusted grant for that user is refused from now on',
    permission: 'links:write',
    params: z.strictObject({ client_id: id, service_user_id: id }),
    status: 204,
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      await app.links.remove(params.client_id, params.service_user_id, operator.actor);
      return undefined;
    },
  }),
];
