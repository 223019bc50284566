// OES's `POST /v1/sessions/{id}/notify`: the notify dialog of the organizers' sessions list mails a
// session's speakers by hand. The dialog starts from the state's template (`GET /v1/sessions/mails`) and
// sends only what the organizer changed, `{"subject"?, "message"?, "bcc"?: [...]}`, in plain JSON, and
// reads `{"success": true}` back.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { notifySession } from '../domain/session-mail.ts';
import { siteIdentity } from '../domain/settings.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';
import { ErrorDocument, IdString } from './jsonapi/schemas.ts';

// OES's limits: a subject of 250 characters, a message of 5000 (with its `<br/>` line breaks).
const NotifyBody = Type.Object(
  {
    subject: Type.Optional(Type.Union([Type.String({ maxLength: 250 }), Type.Null()])),
    message: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
    bcc: Type.Optional(Type.Array(Type.String({ maxLength: 254 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export async function sessionNotifyRoutes(parent: FastifyInstance, { db, mailer, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/sessions/:id/notify',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: "Mail the session's speakers (and the event's owner) its state's mail, or the organizer's own subject and message",
        tags: ['sessions'],
        params: Type.Object({ id: IdString }),
        body: NotifyBody,
        response: { 200: Type.Object({ success: Type.Literal(true) }), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const site = await siteIdentity(db, { frontendUrl: config.publicUrl });
      await notifySession(db, mailer, site, Number(request.params.id), requireUser(request), request.body);
      return { success: true as const };
    },
  );
}
