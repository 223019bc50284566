// What OES's event page and event wizard read and write around the schedule: sponsors, social links,
// copyright and tax (event children, see resource/routes.ts), the event's general statistics, and the
// event's to-one related routes (`/v1/events/{ev}/event-type`, …) that answer `{"data": null}` while
// the event has none, as JSON:API has an empty to-one.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { readableEvent } from '../domain/event-child/read.ts';
import { classificationOf } from '../domain/event-classification.ts';
import { generalStatistics, type GeneralStatistics } from '../domain/event-statistics.ts';
import { JSONAPI, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import { registerEventChild } from './resource/routes.ts';
import { sponsorResource } from './sponsors.ts';
import { socialLinkResource } from './social-links.ts';
import { eventCopyrightResource } from './event-copyright.ts';
import { taxResource } from './tax.ts';
import { subTopicResource, topicResource, typeResource } from './event-classification.ts';
import type { AppContext } from './context.ts';

const EvParams = Type.Object({ ev: Type.String({ maxLength: 64 }) });
const AnyQuery = Type.Object({}, { additionalProperties: true });
/** A single resource of another module's type, or an empty to-one. */
const ToOneDocument = Type.Object({ jsonapi: Type.Object({ version: Type.String() }) }, { additionalProperties: true });

/** OES's event-statistics-general resource; its id is the event's. */
export function statisticsResource(stats: GeneralStatistics): ResourceObject {
  const { sessionsByState: sessions, speakersByState: speakers } = stats;
  return {
    type: 'event-statistics-general',
    id: String(stats.event.id),
    attributes: {
      identifier: stats.event.identifier,
      'sessions-draft': sessions.draft,
      // OES counts every live session as submitted.
      'sessions-submitted': stats.sessions,
      'sessions-accepted': sessions.accepted,
      'sessions-confirmed': sessions.confirmed,
      'sessions-pending': sessions.pending,
      'sessions-rejected': sessions.rejected,
      'sessions-withdrawn': sessions.withdrawn,
      'sessions-canceled': sessions.canceled,
      speakers: {
        accepted: speakers.accepted,
        confirmed: speakers.confirmed,
        pending: speakers.pending,
        rejected: speakers.rejected,
        withdrawn: speakers.withdrawn,
        canceled: speakers.canceled,
        total: stats.speakersWithSessions,
      },
      sessions: stats.sessions,
      sponsors: stats.sponsors,
      'speaker-without-session': stats.speakersWithoutSession,
    },
    links: { self: `/v1/events/${stats.event.id}/general-statistics` },
  };
}

const emptyToOne = (eventId: number, name: string) => ({ data: null, links: { self: `/v1/events/${eventId}/${name}` }, jsonapi: JSONAPI });

export async function eventExtraRoutes(parent: FastifyInstance, context: AppContext) {
  const { db } = context;
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  for (const resource of [sponsorResource, socialLinkResource, eventCopyrightResource, taxResource]) registerEventChild(parent, context, resource);

  app.get(
    '/v1/events/:ev/general-statistics',
    {
      schema: {
        summary: 'Counts of an event’s sessions by state, speakers, sponsors (its owner, organizers and coorganizers)',
        tags: ['events'],
        params: EvParams,
        querystring: AnyQuery,
        response: { 200: ToOneDocument, '4xx': ErrorDocument },
      },
    },
    async (request) => singleDocument(statisticsResource(await generalStatistics(db, request.params.ev, request.user))),
  );

  for (const name of ['event-type', 'event-topic', 'event-sub-topic'] as const) {
    app.get(
      `/v1/events/:ev/${name}`,
      { schema: { summary: `The ${name} of an event (data null while it has none)`, tags: ['events'], params: EvParams, querystring: AnyQuery, response: { 200: ToOneDocument, '4xx': ErrorDocument } } },
      async (request) => {
        const { event } = await readableEvent(db, request.params.ev, request.user);
        const { type, topic, subTopic } = await classificationOf(db, event);
        const resource = name === 'event-type' ? type && typeResource(type) : name === 'event-topic' ? topic && topicResource(topic) : subTopic && subTopicResource(subTopic);
        return resource ? singleDocument(resource) : emptyToOne(event.id, name);
      },
    );
  }

  // openevent connects to no payment gateway: no event has a Stripe authorization.
  app.get(
    '/v1/events/:ev/stripe-authorization',
    { schema: { summary: 'The Stripe authorization of an event (openevent has no payment gateways: none)', tags: ['events'], params: EvParams, querystring: AnyQuery, response: { 200: ToOneDocument, '4xx': ErrorDocument } } },
    async (request) => emptyToOne((await readableEvent(db, request.params.ev, request.user)).event.id, 'stripe-authorization'),
  );

}
