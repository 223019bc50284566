// /v1/roles as OES has it: the roles a person can hold in an event (name, title-name), which OES's
// client lists on its team page and includes with role invitations and users-events-roles.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLE_CATALOGUE, roleKindById, roleKindOf, type RoleKind } from '../domain/role-catalogue.ts';
import { collectionDocument, singleDocument, type ResourceIdentifier, type ResourceObject } from './jsonapi/document.ts';
import { forbidden } from './jsonapi/errors.ts';
import { ErrorDocument, IdString, collectionResponse, resourceObject, singleResponse } from './jsonapi/schemas.ts';

export const RoleKindResource = resourceObject('role', { name: Type.String(), 'title-name': Type.String() }, []);

export function roleKindResource(kind: RoleKind): ResourceObject {
  return { type: 'role', id: String(kind.id), attributes: { name: kind.name, 'title-name': kind.titleName }, links: { self: `/v1/roles/${kind.id}` } };
}

/** The `role` relationship of a users-events-role or role invitation with the role's name. */
export function roleLinkage(name: string): ResourceIdentifier | null {
  const kind = roleKindOf(name);
  return kind ? { type: 'role', id: String(kind.id) } : null;
}

/** The role resources for these role names, each once, for `include=role`. */
export function includedRoles(names: readonly string[]): ResourceObject[] {
  const kinds = [...new Set(names)].map(roleKindOf).filter((kind): kind is RoleKind => kind !== undefined);
  return kinds.sort((a, b) => a.id - b.id).map(roleKindResource);
}

export async function roleCatalogueRoutes(parent: FastifyInstance) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['roles'];
  app.get(
    '/v1/roles',
    {
      schema: {
        summary: 'The roles a person can hold in an event',
        tags,
        querystring: Type.Object({}, { additionalProperties: true }),
        response: { 200: collectionResponse(RoleKindResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const data = ROLE_CATALOGUE.map(roleKindResource);
      return collectionDocument(data, { count: data.length, page: { size: data.length, number: 1 }, url: request.url });
    },
  );
  // OES lets admins add, rename and delete roles. openevent's rules name its six roles, so a role made
  // up here would grant nothing: the catalogue is fixed, for admins too (others get OES's own 403).
  const fixed = async () => {
    throw forbidden('The roles of an event team are fixed in openevent: owner, organizer, coorganizer, track_organizer, moderator and registrar');
  };
  const refused = { config: { signedIn: true }, schema: { summary: 'Refused: the roles are fixed', tags, response: { '4xx': ErrorDocument } } };
  app.post('/v1/roles', refused, fixed);
  app.patch('/v1/roles/:id', refused, fixed);
  app.delete('/v1/roles/:id', refused, fixed);
  app.get(
    '/v1/roles/:id',
    { schema: { summary: 'One role', tags, params: Type.Object({ id: IdString }), response: { 200: singleResponse(RoleKindResource), '4xx': ErrorDocument } } },
    async (request) => singleDocument(roleKindResource(roleKindById(Number(request.params.id)))),
  );
}
