// Invitations to an event's team (/v1/role-invites, OES's names and shapes): the owner and organizers
// invite an email address to a role, and the invitee is mailed a link to the web client's
// /role-invites page with the invitation's hash; signed in with that address, they also find their
// pending invitations at /v1/users/me/role-invites, and accept or decline one with its hash. The organizer
// never sees the hash, and nothing in an answer depends on whether the address has an account.
// The rules live in domain/role-invites.ts.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLE_NAMES, type RoleName } from '../domain/roles.ts';
import {
  acceptInvite,
  declineInvite,
  invite,
  inviteByHash,
  inviteListFields,
  inviteListOrder,
  invitesOfEvent,
  listInvites,
  mailInvite,
  myPendingInvites,
  readInvite,
  withdrawInvite,
  type RoleInvite,
} from '../domain/role-invites.ts';
import type { Event } from '../domain/events.ts';
import { siteIdentity } from '../domain/settings.ts';
import { JSONAPI, collectionDocument, identifier, instant, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { notFound, relationshipPointer, unprocessable } from './jsonapi/errors.ts';
import { parseListQuery } from '../domain/list-query.ts';
import {
  ErrorDocument,
  IdString,
  LinkOnly,
  ListQuerystring,
  ToOne,
  collectionResponse,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';
import { includedRoles, roleLinkage } from './role-catalogue.ts';
import { roleIncludes } from './roles.ts';
import { deletedDocument, DeletedResponse } from './jsonapi/deleted.ts';
import { eventAccess } from '../domain/access.ts';
import { eventResource } from './events.ts';

const TYPE = 'role-invite';
const RoleName = Type.Union(ROLE_NAMES.map((name) => Type.Literal(name)));

const InviteResource = resourceObject(
  TYPE,
  {
    email: Type.String(),
    'role-name': Type.String(),
    status: Type.String(),
    'created-at': Type.String(),
    // Only in the invitee's own views.
    hash: Type.Optional(Type.String()),
  },
  ['event', 'role'],
);
const InviteBody = resourceBody({
  attributes: {
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    'role-name': Type.Optional(RoleName),
  },
  // OES clients also send `role` (a roles table this server does not have); the name says it all.
  relationships: { event: ToOne('event'), role: LinkOnly },
  readOnly: ['status', 'created-at', 'hash'],
  requireRelationships: true,
});
// OES's token endpoints take `{"data": {"token": <hash>}}`.
const TokenBody = Type.Object({ data: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }) });
const InviteAnswer = Type.Object({
  email: Type.String(),
  event: Type.Integer(),
  event_identifier: Type.String(),
  role: Type.String(),
  status: Type.String(),
});

function inviteResource(found: RoleInvite, { withHash }: { withHash: boolean }): ResourceObject {
  return {
    type: TYPE,
    id: String(found.id),
    attributes: {
      email: found.email,
      'role-name': found.roleName,
      status: found.status,
      'created-at': instant(found.createdAt),
      ...(withHash ? { hash: found.hash } : {}),
    },
    relationships: {
      // The event as links only, as OES gives it: its client keys events by identifier, so a numeric
      // linkage would split the event in its store. The relationship endpoint answers the linkage.
      event: { links: { self: `/v1/role-invites/${found.id}/relationships/event`, related: `/v1/role-invites/${found.id}/event` } },
      role: { data: roleLinkage(found.roleName), links: { self: `/v1/role-invites/${found.id}/relationships/role`, related: `/v1/role-invites/${found.id}/role` } },
    },
    links: { self: `/v1/role-invites/${found.id}` },
  };
}

/** OES's answer to the token endpoints (plain JSON), with the invitation's status besides. */
function inviteAnswer(found: RoleInvite, event: Event) {
  return { email: found.email, event: event.id, event_identifier: event.identifier, role: found.roleName, status: found.status };
}

export async function roleInviteRoutes(parent: FastifyInstance, context: AppContext) {
  const { db, mailer, config } = context;
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['roles'];
  const Params = Type.Object({ id: IdString });

  app.post(
    '/v1/role-invites',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Invite an email address to a role in an event (the invitee accepts or declines)',
        tags,
        body: InviteBody,
        response: { 201: singleResponse(InviteResource), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { data } = request.body;
      expectType(data, TYPE);
      const eventKey = data.relationships.event.data?.id;
      if (!eventKey) throw unprocessable('A relationship to the event is required', relationshipPointer('event'));
      const email = data.attributes?.email;
      if (!email) throw unprocessable('"email" is required', { pointer: '/data/attributes/email' });
      const roleName = data.attributes?.['role-name'] as RoleName | undefined;
      if (!roleName) throw unprocessable('"role-name" is required', { pointer: '/data/attributes/role-name' });
      const created = await invite(db, user, { eventKey, email, roleName });
      // The invitation stands whatever happens to the mail; the invitee also finds it in their own list.
      try {
        await mailInvite(db, mailer, created, user, await siteIdentity(db, { frontendUrl: config.publicUrl }));
      } catch (error) {
        request.log.error({ err: error, invite: created.id }, 'the invitation was not mailed');
      }
      reply.code(201).header('location', `/v1/role-invites/${created.id}`);
      return singleDocument(inviteResource(created, { withHash: false }));
    },
  );

  app.get(
    '/v1/events/:ev/role-invites',
    {
      schema: {
        summary: 'The invitations of an event (without their hashes)',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: ListQuerystring,
        response: { 200: collectionResponse(InviteResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const access = await invitesOfEvent(db, request.params.ev, request.user);
      const query = parseListQuery(request.query, { fields: inviteListFields, defaultSort: inviteListOrder, includes: ['role', 'event'] });
      const { rows, total } = await listInvites(db, access, query);
      const data = rows.map((found) => inviteResource(found, { withHash: false }));
      const included = await roleIncludes(context, access, query.include, rows.map((found) => ({ roleName: found.roleName })));
      return collectionDocument(data, { count: total, page: query.page, url: request.url, included });
    },
  );

  app.get(
    '/v1/users/me/role-invites',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Your pending invitations, with the hash to accept or decline each',
        tags,
        response: { 200: collectionResponse(InviteResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const rows = await myPendingInvites(db, requireUser(request));
      const data = rows.map((found) => inviteResource(found, { withHash: true }));
      return collectionDocument(data, { count: data.length, page: { size: Math.max(data.length, 1), number: 1 }, url: request.url });
    },
  );

  app.get(
    '/v1/role-invites/:id',
    { schema: { summary: 'One invitation', tags, params: Params, response: { 200: singleResponse(InviteResource), '4xx': ErrorDocument } } },
    async (request) => {
      const { invite: found, isInvitee } = await readInvite(db, Number(request.params.id), request.user);
      return singleDocument(inviteResource(found, { withHash: isInvitee }));
    },
  );

  app.delete(
    '/v1/role-invites/:id',
    { schema: { summary: 'Withdraw an invitation that was not accepted', tags, params: Params, response: { 200: DeletedResponse, '4xx': ErrorDocument } } },
    async (request) => {
      await withdrawInvite(db, Number(request.params.id), request.user);
      return deletedDocument();
    },
  );

  // The role and event of an invitation, and their linkage (the links each invitation carries).
  const Related = Type.Object({ jsonapi: Type.Object({ version: Type.String() }) }, { additionalProperties: true });
  app.get(
    '/v1/role-invites/:id/role',
    { schema: { summary: 'The role an invitation offers', tags, params: Params, response: { 200: Related, '4xx': ErrorDocument } } },
    async (request) => {
      const { invite: found } = await readInvite(db, Number(request.params.id), request.user);
      return singleDocument(includedRoles([found.roleName])[0]!);
    },
  );
  app.get(
    '/v1/role-invites/:id/event',
    { schema: { summary: 'The event an invitation is to', tags, params: Params, response: { 200: Related, '4xx': ErrorDocument } } },
    async (request) => {
      const { invite: found } = await readInvite(db, Number(request.params.id), request.user);
      // Whoever may read the invitation (its event's team, its invitee) may read the event it names.
      const access = await eventAccess(db, found.eventId, request.user ?? null);
      if (!access) throw notFound('No such event');
      return singleDocument(eventResource(access.event, access, config.publicUrl));
    },
  );
  for (const name of ['role', 'event'] as const) {
    app.get(
      `/v1/role-invites/:id/relationships/${name}`,
      { schema: { summary: `Which ${name} an invitation links to`, tags, params: Params, response: { 200: Related, '4xx': ErrorDocument } } },
      async (request) => {
        const { invite: found, isInvitee } = await readInvite(db, Number(request.params.id), request.user);
        const relationship = inviteResource(found, { withHash: isInvitee }).relationships![name]!;
        const data = name === 'event' ? identifier('event', found.eventId) : relationship.data;
        return { data, links: relationship.links, jsonapi: JSONAPI };
      },
    );
  }

  // OES serves these at /v1/role_invites/…; the dashed spelling matches the resource's own path.
  for (const prefix of ['/v1/role_invites', '/v1/role-invites']) {
    app.post(
      `${prefix}/user`,
      {
        config: { plainJson: true },
        schema: {
          summary: 'The invitation a hash names: its email address, event and role (for a sign-up or answer page)',
          tags,
          body: TokenBody,
          response: { 200: InviteAnswer, '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const { invite: found, event } = await inviteByHash(db, request.body.data.token);
        return inviteAnswer(found, event);
      },
    );

    app.post(
      `${prefix}/accept-invite`,
      {
        config: { signedIn: true, plainJson: true },
        schema: {
          summary: 'Accept an invitation addressed to your email: the role is yours',
          tags,
          body: TokenBody,
          response: { 200: Type.Object({ ...InviteAnswer.properties, name: Type.Union([Type.String(), Type.Null()]) }), '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const { invite: found, event } = await acceptInvite(db, user, request.body.data.token);
        const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || null;
        return { ...inviteAnswer(found, event), name };
      },
    );

    app.post(
      `${prefix}/decline-invite`,
      {
        config: { signedIn: true, plainJson: true },
        schema: {
          summary: 'Decline an invitation addressed to your email',
          tags,
          body: TokenBody,
          response: { 200: InviteAnswer, '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const { invite: found, event } = await declineInvite(db, requireUser(request), request.body.data.token);
        return inviteAnswer(found, event);
      },
    );
  }
}
