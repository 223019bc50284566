// The call for speakers (/v1/speakers-calls, /v1/events/{ev}/speakers-call): one per event, written by
// its organizers (the wizard's Sessions & Speakers step saves it), read by anyone when public and by
// holders of its hash when private. Its hash is for the team: it is the private call's key.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { SPEAKERS_CALL_PRIVACY, speakersCallModel, visibleCallOf } from '../domain/schedule/speakers-calls.ts';
import { readableEvent } from '../domain/event-child/read.ts';
import { NotFoundError } from '../domain/errors.ts';
import { Instant, ErrorDocument, ListQuerystring } from './jsonapi/schemas.ts';
import { collectionDocument, singleDocument } from './jsonapi/document.ts';
import { Text } from './resource/attributes.ts';
import { eventChild } from './resource/definition.ts';
import { registerEventChild } from './resource/routes.ts';
import { serializeFor } from './resource/serialization.ts';
import type { AppContext } from './context.ts';

export const speakersCallResource = eventChild({
  model: speakersCallModel,
  plural: 'speakers-calls',
  oesValues: ['privacy'],
  attributes: {
    announcement: { column: 'announcement', kind: 'text', input: Text() },
    'starts-at': { column: 'startsAt', kind: 'instant', input: Instant, required: true },
    'soft-ends-at': { column: 'softEndsAt', kind: 'instant', input: Type.Union([Instant, Type.Null()]) },
    'ends-at': { column: 'endsAt', kind: 'instant', input: Instant, required: true },
    hash: { column: 'hash', kind: 'text', input: Text(200), teamOnly: true },
    privacy: { column: 'privacy', kind: 'text', input: Type.Union(SPEAKERS_CALL_PRIVACY.map((privacy) => Type.Literal(privacy))) },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {},
  // A private call needs a key: one is made when the organizer gives none.
  prepare(values, _event, row) {
    const hash = values.hash === undefined ? row?.hash : values.hash;
    const privacy = values.privacy ?? row?.privacy;
    return privacy === 'private' && !hash ? { ...values, hash: randomUUID() } : values;
  },
});

const Document = Type.Object({ jsonapi: Type.Object({ version: Type.String() }) }, { additionalProperties: true });

export async function speakersCallRoutes(parent: FastifyInstance, context: AppContext) {
  const { db, config } = context;
  registerEventChild(parent, context, speakersCallResource);
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/v1/events/:ev/speakers-call',
    {
      schema: {
        summary: 'The call for speakers of an event',
        description:
          'A private call only for the event’s team or with `hash` (the private link’s key). An event without a call (or whose call the viewer may not see) answers 404, as OES: its web client creates the call on that answer.',
        tags: ['speakers-calls'],
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ hash: Type.Optional(Type.String({ maxLength: 200 })), include: Type.Optional(Type.String()) }, { additionalProperties: true }),
        response: { 200: Document, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const access = await readableEvent(db, request.params.ev, request.user);
      const call = await visibleCallOf(db, access, request.query.hash ?? null);
      if (!call) throw new NotFoundError('Object: not found');
      const { data } = await serializeFor({ db, access, user: request.user, publicUrl: config.publicUrl }, speakersCallResource, [call]);
      const resource = data[0]!;
      // Whoever came with the private call's key may read it back (the web client compares it).
      if (request.query.hash !== undefined && call.hash === request.query.hash) resource.attributes = { ...resource.attributes, hash: call.hash };
      return singleDocument(resource);
    },
  );

  // OES's speaker invitations (a speaker inviting a co-speaker) are a feature openevent does not have:
  // the call page asks for the signed-in user's pending ones, and learns truthfully there are none.
  app.get(
    '/v1/events/:ev/speaker-invites',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Speaker invitations of an event (openevent has none: always empty)',
        tags: ['speakers-calls'],
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        querystring: ListQuerystring,
        response: { 200: Document, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      await readableEvent(db, request.params.ev, request.user);
      return collectionDocument([], { count: 0, page: { number: 1, size: 0 }, url: request.url });
    },
  );
}
