// Live calendar feeds (OES paths): /v1/events/{identifier}.ics, .xcs, .jcal and .xml (Pentabarf), one
// session at /v1/sessions/{id}.ics, and each user's personal feed of favourite sessions at
// /v1/calendar/{token}.ics. Public feeds exist only for published, public, not deleted events.
// They are cheap to poll: a strong ETag from the schedule version answers revalidation with a 304
// before anything is rendered, and rendered bytes are cached per version and filter.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { calendarFormats } from '../calendar/formats.ts';
import { serializePentabarf } from '../calendar/pentabarf.ts';
import { PUBLISHED_SESSION_STATES } from '../calendar/schedule.ts';
import type { CalendarInput, CalendarSession } from '../calendar/model.ts';
import { calendarInput, streamSessions, type ScheduleFilter } from '../db/queries/calendar-source.ts';
import { calendarTokens, eventRoles, events, favouriteSessions, sessions } from '../db/schema/index.ts';
import { findEvent, isPublic, type Event } from '../domain/access.ts';
import { FeedCache, brotlied, gzipped, type RenderedFeed } from '../feeds/cache.ts';
import { EventVersions } from '../feeds/versions.ts';
import { scheduleChanges } from '../domain/schedule-version.ts';
import { listen } from '../db/notifications.ts';
import { ApiError, notFound } from './jsonapi/errors.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import type { AppContext } from './context.ts';

interface FeedFormat {
  mediaType: string;
  serialize(input: CalendarInput): AsyncIterable<Uint8Array | string>;
}

const FEED_FORMATS: Record<string, FeedFormat> = {
  ics: calendarFormats.ical,
  xcs: calendarFormats.xcal,
  jcal: calendarFormats.jcal,
  xml: { mediaType: 'application/xml', serialize: (input) => serializePentabarf(input) },
};

async function render(format: FeedFormat, input: CalendarInput): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of format.serialize(input)) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function ids(name: string, raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw.split(',').map((part) => part.trim());
  if (list.length === 0 || list.length > 100 || !list.every((part) => /^[1-9]\d{0,9}$/.test(part))) {
    throw new ApiError(400, `${name} takes one or more ids separated by commas, e.g. ${name}=3,7`, { parameter: name });
  }
  return [...new Set(list.map(Number))].sort((a, b) => a - b);
}

const variants = new Map<string, string>();
/** A short, stable tag of a filter combination for the ETag; memoised, as revalidation is the hot path. */
function variantOf(filterKey: string): string {
  let variant = variants.get(filterKey);
  if (variant === undefined) {
    variant = createHash('sha256').update(filterKey).digest('base64url').slice(0, 12);
    if (variants.size < 10_000) variants.set(filterKey, variant);
  }
  return variant;
}

const FeedQuery = Type.Object(
  {
    track: Type.Optional(Type.String({ description: 'Only these tracks: ids separated by commas' })),
    room: Type.Optional(Type.String({ description: 'Only these rooms (microlocations)' })),
    speaker: Type.Optional(Type.String({ description: 'Only sessions of these speakers' })),
    session: Type.Optional(Type.String({ description: 'Only these sessions' })),
    include_sessions: Type.Optional(Type.String({ description: 'Include sessions even before the schedule is published (OES)' })),
  },
  { additionalProperties: true },
);

function acceptsEncoding(request: FastifyRequest, encoding: string): boolean {
  const header = request.headers['accept-encoding'];
  return typeof header === 'string' && new RegExp(`(^|,)\\s*${encoding}\\s*(;\\s*q=(?!0(\\.0*)?\\s*(,|$))[\\d.]+)?\\s*(,|$)`, 'i').test(header);
}

/** The HTTP answer for a feed whose validators are known: 304 if the client has it, else the bytes. */
async function sendFeed(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { etag: string; lastModified: Date; maxAge: number; visibility: 'public' | 'private'; mediaType: string; fileName: string },
  body: () => Promise<RenderedFeed>,
) {
  const lastModified = new Date(Math.floor(options.lastModified.getTime() / 1000) * 1000);
  reply
    .header('etag', options.etag)
    .header('last-modified', lastModified.toUTCString())
    .header('cache-control', `${options.visibility}, max-age=${options.maxAge}`)
    .header('vary', 'Accept-Encoding');
  const ifNoneMatch = request.headers['if-none-match'];
  const ifModifiedSince = request.headers['if-modified-since'];
  const fresh =
    ifNoneMatch !== undefined
      ? ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === options.etag || tag.trim() === '*')
      : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= lastModified.getTime();
  if (fresh) return reply.code(304).send();

  const feed = await body();
  reply.header('content-type', options.mediaType).header('content-disposition', `inline; filename="${options.fileName}"`);
  if (acceptsEncoding(request, 'br')) return reply.header('content-encoding', 'br').send(await brotlied(feed));
  if (acceptsEncoding(request, 'gzip')) return reply.header('content-encoding', 'gzip').send(await gzipped(feed));
  return reply.send(feed.body);
}

export const feedRoutes = fp(async function feeds(parent: FastifyInstance, { db, config, connection }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const cache = new FeedCache();
  app.decorate('feedCache', cache);
  // Revalidation is the hot path of a feed: it answers from cached event rows, kept current by the
  // database's change notifications and by this process's own writes.
  const versions = new EventVersions(db);
  const onChanging = (eventId: number) => versions.changing(eventId);
  scheduleChanges.on('changing', onChanging);
  const listener = await listen(
    connection,
    'openevent_schedule',
    (payload) => versions.changed(Number(payload)),
    () => versions.clear(),
  );
  app.addHook('onClose', async () => {
    scheduleChanges.off('changing', onChanging);
    await listener.close();
  });
  const tags = ['feeds'];
  const maxAge = config.feedMaxAgeSeconds;

  function publicInput(event: Event, filter: ScheduleFilter): Promise<CalendarInput> {
    // The schedule's last change is the generation time: the same version renders the same bytes in
    // every process, which is what makes the ETag honest.
    return calendarInput(db, event, {
      publicUrl: config.publicUrl,
      generatedAt: event.scheduleUpdatedAt,
      filter,
      refreshIntervalMinutes: Math.max(1, Math.round(maxAge / 60)),
    });
  }

  function eventFeed(extension: string) {
    const format = FEED_FORMATS[extension]!;
    app.get(
      `/v1/events/:ev.${extension}`,
      {
        schema: {
          summary: `The live ${extension} feed of a published event`,
          tags,
          params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
          querystring: FeedQuery,
          response: { '4xx': ErrorDocument },
        },
      },
      async (request, reply) => {
        const event = await versions.get(request.params.ev);
        if (!event || !isPublic(event)) throw notFound('No published event here');
        const query = request.query;
        const withSessions = event.schedulePublishedOn !== null || (query.include_sessions !== undefined && query.include_sessions !== 'false');
        const filter: ScheduleFilter = withSessions
          ? {
              trackIds: ids('track', query.track),
              roomIds: ids('room', query.room),
              speakerIds: ids('speaker', query.speaker),
              sessionIds: ids('session', query.session),
            }
          : { sessionIds: [] };
        const filterKey = JSON.stringify(filter);
        const variant = variantOf(filterKey);
        const key = `${event.id}:${event.scheduleVersion}:${extension}:${filterKey}`;
        return sendFeed(
          request,
          reply,
          {
            etag: `"${event.identifier}-${event.scheduleVersion}-${extension}-${variant}"`,
            lastModified: event.scheduleUpdatedAt,
            maxAge,
            visibility: 'public',
            mediaType: format.mediaType,
            fileName: `${event.identifier}.${extension}`,
          },
          () => cache.get(key, async () => render(format, await publicInput(event, filter))),
        );
      },
    );
  }
  for (const extension of Object.keys(FEED_FORMATS)) eventFeed(extension);

  app.get(
    '/v1/sessions/:id.ics',
    {
      schema: {
        summary: 'One published session as iCalendar (an "add to calendar" button)',
        tags,
        params: Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }) }),
        response: { '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const [session] = await db
        .select({ id: sessions.id, eventId: sessions.eventId })
        .from(sessions)
        .where(and(eq(sessions.id, Number(request.params.id)), isNull(sessions.deletedAt), inArray(sessions.state, [...PUBLISHED_SESSION_STATES])));
      const event = session ? await findEvent(db, session.eventId) : null;
      if (!session || !event || !isPublic(event)) throw notFound('No published session here');
      const filter: ScheduleFilter = { sessionIds: [session.id] };
      return sendFeed(
        request,
        reply,
        {
          etag: `"${event.identifier}-${event.scheduleVersion}-session-${session.id}"`,
          lastModified: event.scheduleUpdatedAt,
          maxAge,
          visibility: 'public',
          mediaType: FEED_FORMATS.ics!.mediaType,
          fileName: `${event.identifier}-${session.id}.ics`,
        },
        () => cache.get(`${event.id}:${event.scheduleVersion}:session:${session.id}`, async () => render(FEED_FORMATS.ics!, await publicInput(event, filter))),
      );
    },
  );

  for (const extension of ['ics', 'xcs', 'jcal']) {
    const format = FEED_FORMATS[extension]!;
    app.get(
      `/v1/calendar/:token.${extension}`,
      {
        schema: {
          summary: `Your favourite sessions as a ${extension} feed (the URL from /v1/users/me/calendar-token)`,
          tags,
          params: Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) }),
          response: { '4xx': ErrorDocument },
        },
      },
      async (request, reply) => {
        const [owner] = await db.select().from(calendarTokens).where(eq(calendarTokens.token, request.params.token));
        if (!owner) throw notFound('No calendar here (the link may have been replaced)');
        const favourites = await favouriteSessionsOf(db, owner.userId);
        if (favourites.length === 0) {
          return sendFeed(
            request,
            reply,
            { etag: `"personal-empty"`, lastModified: owner.createdAt, maxAge, visibility: 'private', mediaType: format.mediaType, fileName: `my-schedule.${extension}` },
            async () => ({ body: await render(format, personalInput([], config.publicUrl, owner.createdAt)) }),
          );
        }
        const fingerprint = createHash('sha256')
          .update(JSON.stringify(favourites.map((f) => [f.sessionId, f.eventId, f.version])))
          .digest('base64url')
          .slice(0, 20);
        const lastModified = new Date(Math.max(...favourites.map((f) => f.updatedAt.getTime())));
        return sendFeed(
          request,
          reply,
          { etag: `"personal-${fingerprint}-${extension}"`, lastModified, maxAge, visibility: 'private', mediaType: format.mediaType, fileName: `my-schedule.${extension}` },
          async () => {
            const eventIds = [...new Set(favourites.map((f) => f.eventId))];
            if (eventIds.length === 1) {
              // All in one event (the usual case): that event's own calendar, in its zone, with the
              // same UIDs as its public feed, so a calendar app holding both sees one entry per session.
              const event = (await findEvent(db, eventIds[0]!))!;
              const input = await calendarInput(db, event, {
                publicUrl: config.publicUrl,
                generatedAt: lastModified,
                filter: { sessionIds: favourites.map((f) => f.sessionId) },
              });
              return { body: await render(format, { ...input, event: { ...input.event, name: `My schedule: ${event.name}` } }) };
            }
            const parts = eventIds.map((eventId) =>
              streamSessions(db, eventId, { sessionIds: favourites.filter((f) => f.eventId === eventId).map((f) => f.sessionId) }),
            );
            return { body: await render(format, personalInput(parts, config.publicUrl, lastModified)) };
          },
        );
      },
    );
  }
});

interface Favourite {
  sessionId: number;
  eventId: number;
  version: number;
  updatedAt: Date;
}

/** The user's favourites they may still see: published sessions of public events, or of their own events. */
async function favouriteSessionsOf(db: AppContext['db'], userId: number): Promise<Favourite[]> {
  const onTeam = sql`EXISTS (SELECT 1 FROM ${eventRoles} WHERE ${eventRoles.eventId} = ${events.id} AND ${eventRoles.userId} = ${userId} AND ${eventRoles.deletedAt} IS NULL)`;
  return db
    .select({ sessionId: sessions.id, eventId: events.id, version: events.scheduleVersion, updatedAt: events.scheduleUpdatedAt })
    .from(favouriteSessions)
    .innerJoin(sessions, eq(sessions.id, favouriteSessions.sessionId))
    .innerJoin(events, eq(events.id, sessions.eventId))
    .where(
      and(
        eq(favouriteSessions.userId, userId),
        isNull(sessions.deletedAt),
        inArray(sessions.state, [...PUBLISHED_SESSION_STATES]),
        isNull(events.deletedAt),
        or(and(eq(events.state, 'published'), eq(events.privacy, 'public')), onTeam),
      ),
    )
    .orderBy(events.id, sessions.id);
}

/**
 * A personal feed across several events, each with its own zone: written in UTC (calendar apps show
 * UTC times in the reader's own zone) as one calendar named "My schedule". Its UIDs and links are its
 * own (`…-my-schedule@host`), as the calendar model has one event per file.
 */
function personalInput(parts: AsyncIterable<CalendarSession>[], publicUrl: string, generatedAt: Date): CalendarInput {
  async function* all() {
    for (const part of parts) yield* part;
  }
  return {
    event: {
      id: 0,
      identifier: 'my-schedule',
      name: 'My schedule',
      timezone: 'UTC',
      description: null,
      locationName: null,
      startsAt: generatedAt,
      endsAt: generatedAt,
      logoUrl: null,
      url: publicUrl,
    },
    sessions: all(),
    tracks: [],
    rooms: [],
    generatedAt,
    baseUrl: publicUrl,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    feedCache?: FeedCache;
  }
}
