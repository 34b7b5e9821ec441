/**
 * The partners a link can be made for: the enabled clients that hold the `trusted` permission, by
 * client_id, with their names only. Support staff link partner users by hand (`links:write`)
 * without access to the clients themselves (`clients:read`); this is what they choose from.
 */
import { z } from 'zod';
import { operation } from '../operation.ts';
import { pageInMemory, pageOf, paginationQuery } from '../pagination.ts';

export const linkPartnerOperations = [
  operation({
    id: 'listLinkPartners',
    method: 'get',
    path: '/links/partners',
    tag: 'links',
    summary: 'The partners a link can be made for: enabled clients with the trusted permission',
    description: 'Only `client_id` and `name`, so that operators who may link (support) need no access to the clients.',
    permission: 'links:read',
    query: z.strictObject(paginationQuery),
    status: 200,
    response: pageOf(z.object({ client_id: z.string(), name: z.string() })),
    async run({ query }, { app }) {
      const partners = (await app.clients.list()).filter((c) => !c.disabled && c.permissions.includes('trusted'));
      return pageInMemory(partners, query, { arity: 1, of: (c) => [c.clientId] }, (c) => ({ client_id: c.clientId, name: c.name }));
    },
  }),
];
