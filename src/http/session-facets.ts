// What OES's public session pages ask besides the sessions: the days with sessions and the languages
// (`/v1/events/{ev}/sessions/dates`, `/sessions/languages`: plain JSON arrays, as OES sends them and
// its client iterates them), the session state map (`/v1/sessions/states`), and the mails a state change
// sends (`/v1/sessions/mails`: the templates the notify dialog of the organizers' sessions list starts from).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { readableEvent } from '../domain/event-child/read.ts';
import { SESSION_STATE_CHANGES, sessionDates, sessionLanguages } from '../domain/schedule/session-facets.ts';
import { NOTIFY_TEMPLATES } from '../mail/session-mails.ts';
import type { AppContext } from './context.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';

const tags = ['sessions'];
const EventParams = Type.Object({ ev: Type.String({ maxLength: 64 }) });

export async function sessionFacetRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/v1/events/:ev/sessions/dates',
    {
      config: { plainJson: true },
      schema: {
        summary: "The days with accepted or confirmed sessions, YYYY-MM-DD in the event's time zone",
        tags,
        params: EventParams,
        response: { 200: Type.Array(Type.String({ format: 'date' })), '4xx': ErrorDocument },
      },
    },
    async (request) => sessionDates(db, await readableEvent(db, request.params.ev, request.user)),
  );

  app.get(
    '/v1/events/:ev/sessions/languages',
    {
      config: { plainJson: true },
      schema: {
        summary: 'The languages of the sessions, each once, sorted',
        tags,
        params: EventParams,
        response: { 200: Type.Array(Type.String()), '4xx': ErrorDocument },
      },
    },
    async (request) => sessionLanguages(db, await readableEvent(db, request.params.ev, request.user)),
  );

  app.get(
    '/v1/sessions/states',
    {
      config: { plainJson: true },
      schema: {
        summary: 'Which state a session may move to from each state, for organizers and for speakers',
        tags,
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async () => SESSION_STATE_CHANGES,
  );

  app.get(
    '/v1/sessions/mails',
    {
      config: { plainJson: true },
      schema: {
        summary: 'The subject and message of the mail each session state sends its speakers, with their {placeholders}',
        tags,
        response: { 200: Type.Object({ recipient: Type.String() }, { additionalProperties: Type.Object({ subject: Type.String(), message: Type.String() }) }) },
      },
    },
    async () => NOTIFY_TEMPLATES,
  );
}
