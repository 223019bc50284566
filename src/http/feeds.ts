// Live calendar feeds (OES paths): /v1/events/{identifier}.{extension} for every public feed format of the
// registry (.ics, .xcs, .jcal, .xml), one session at /v1/sessions/{id}.ics, and each user's personal feed of
// favourite sessions at /v1/calendar/{token}.{extension}. Public feeds exist only for published, public, not
// deleted events. They are cheap to poll: a strong ETag from the schedule version answers revalidation with a
// 304 before anything is rendered, and rendered bytes are cached per version and filter.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { createHash } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CalendarInput, CalendarSession } from '../calendar/model.ts';
import {
  calendarInput,
  findPublishedSession,
  normalizeFilter,
  PRODUCT_ID,
  streamSessions,
  type ScheduleFilter,
} from '../domain/schedule-source.ts';
import { findEvent, isPublic, type Event } from '../domain/access.ts';
import { calendarTokenByValue, favouritesForFeed } from '../domain/favourites.ts';
import { scheduleChanges } from '../domain/schedule-version.ts';
import { FeedCache, brotlied, gzipped, type RenderedFeed } from '../feed-cache/rendered-feeds.ts';
import { EventVersions } from '../feed-cache/event-versions.ts';
import type { FeedFormat } from '../formats/format.ts';
import { formatById, personalFeedFormats, publicFeedFormats } from '../formats/registry.ts';
import { listen } from '../db/notifications.ts';
import { answeredNotModified, type Validators } from './conditional.ts';
import { sendEncoded } from './content-coding.ts';
import { ApiError, notFound } from './jsonapi/errors.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import type { AppContext } from './context.ts';

async function render(format: FeedFormat, input: CalendarInput): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of format.serialize(input)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function ids(name: string, raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw.split(',').map((part) => part.trim());
  // Ids are PostgreSQL integers: a larger number cannot name anything (and would make the query fail).
  const isId = (part: string) => /^[1-9]\d{0,9}$/.test(part) && Number(part) <= 2_147_483_647;
  if (list.length === 0 || list.length > 100 || !list.every(isId)) {
    throw new ApiError(400, `${name} takes one or more ids separated by commas, e.g. ${name}=3,7`, { parameter: name });
  }
  return [...new Set(list.map(Number))].sort((a, b) => a - b);
}

const filterTags = new Map<string, string>();
/** A short, stable tag of a filter as requested, for the ETag; memoised, as revalidation is the hot path. */
function filterTag(filterKey: string): string {
  let tag = filterTags.get(filterKey);
  if (tag === undefined) {
    tag = createHash('sha256').update(filterKey).digest('base64url').slice(0, 12);
    if (filterTags.size < 10_000) filterTags.set(filterKey, tag);
  }
  return tag;
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

interface FeedAnswer extends Validators {
  lastModified: Date;
  maxAge: number;
  visibility: 'public' | 'private';
  mediaType: string;
  fileName: string;
}

/**
 * Feeds bring their own compressed copies (made once per rendered feed) and take no body: the compress
 * plugin's per-request hooks have nothing to do on them, and a 304 is the hot path.
 */
const FEED_ROUTE = { compress: false, decompress: false } as const;

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

  /** 304 if the client has it; else the bytes, from the cache under `key` (rendered on a miss), compressed as asked. */
  async function sendFeed(
    request: FastifyRequest,
    reply: FastifyReply,
    answer: FeedAnswer,
    cached: { key: () => Promise<string>; render: () => Promise<Buffer> } | { uncached: () => Promise<Buffer> },
  ) {
    reply.header('cache-control', `${answer.visibility}, max-age=${answer.maxAge}`).header('vary', 'Accept-Encoding');
    if (answeredNotModified(request, reply, answer)) return reply.send();

    reply.header('content-type', answer.mediaType).header('content-disposition', `inline; filename="${answer.fileName}"`);
    let feed: RenderedFeed;
    let compress: { br(): Promise<Buffer>; gzip(): Promise<Buffer> };
    if ('uncached' in cached) {
      const fresh: RenderedFeed = { body: await cached.uncached() };
      [feed, compress] = [fresh, { br: () => brotlied(fresh), gzip: () => gzipped(fresh) }];
    } else {
      const key = await cached.key();
      const kept = await cache.get(key, cached.render);
      [feed, compress] = [kept, { br: () => cache.brotlied(key, kept), gzip: () => cache.gzipped(key, kept) }];
    }
    return sendEncoded(request, reply, feed.body, compress);
  }

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

  for (const format of publicFeedFormats) {
    const { extension } = format;
    app.get(
      `/v1/events/:ev.${extension}`,
      {
        ...FEED_ROUTE,
        schema: {
          summary: `The live ${extension} feed of a published event (${format.title})`,
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
        // The ETag names the filter as asked: within one schedule version it always gives the same bytes.
        const tag = filterTag(JSON.stringify(filter));
        const prefix = `${event.id}:${event.scheduleVersion}:${extension}`;
        let normalized: ScheduleFilter | undefined;
        return sendFeed(
          request,
          reply,
          {
            etag: `"${event.identifier}-${event.scheduleVersion}-${extension}-${tag}"`,
            lastModified: event.scheduleUpdatedAt,
            maxAge,
            visibility: 'public',
            mediaType: format.mediaType,
            fileName: `${event.identifier}.${extension}`,
          },
          {
            // The cache keys on ids that exist in the event, so made-up ids add no entries of their own.
            key: async () => {
              normalized = await normalizeFilter(db, event.id, filter);
              return `${prefix}:${JSON.stringify(normalized)}`;
            },
            render: async () => render(format, await publicInput(event, normalized!)),
          },
        );
      },
    );
  }

  const ical = formatById('ical') as FeedFormat;
  app.get(
    '/v1/sessions/:id.ics',
    {
      ...FEED_ROUTE,
      schema: {
        summary: 'One published session as iCalendar (an "add to calendar" button)',
        tags,
        params: Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }) }),
        response: { '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const session = await findPublishedSession(db, Number(request.params.id));
      const event = session ? await findEvent(db, session.eventId) : null;
      if (!session || !event || !isPublic(event)) throw notFound('No published session here');
      return sendFeed(
        request,
        reply,
        {
          etag: `"${event.identifier}-${event.scheduleVersion}-session-${session.id}"`,
          lastModified: event.scheduleUpdatedAt,
          maxAge,
          visibility: 'public',
          mediaType: ical.mediaType,
          fileName: `${event.identifier}-${session.id}.${ical.extension}`,
        },
        {
          key: async () => `${event.id}:${event.scheduleVersion}:session:${session.id}`,
          render: async () => render(ical, await publicInput(event, { sessionIds: [session.id] })),
        },
      );
    },
  );

  for (const format of personalFeedFormats) {
    const { extension } = format;
    app.get(
      `/v1/calendar/:token.${extension}`,
      {
        ...FEED_ROUTE,
        schema: {
          summary: `Your favourite sessions as a ${extension} feed (the URL from /v1/users/me/calendar-token)`,
          tags,
          params: Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) }),
          response: { '4xx': ErrorDocument },
        },
      },
      async (request, reply) => {
        const owner = await calendarTokenByValue(db, request.params.token);
        if (!owner) throw notFound('No calendar here (the link may have been replaced)');
        const favourites = await favouritesForFeed(db, owner.userId);
        const answer = { maxAge, visibility: 'private' as const, mediaType: format.mediaType, fileName: `my-schedule.${extension}` };
        if (favourites.length === 0) {
          return sendFeed(request, reply, { ...answer, etag: `"personal-empty"`, lastModified: owner.createdAt }, {
            uncached: () => render(format, personalInput([], config.publicUrl, owner.createdAt)),
          });
        }
        const fingerprint = createHash('sha256')
          .update(JSON.stringify(favourites.map((f) => [f.sessionId, f.eventId, f.version])))
          .digest('base64url')
          .slice(0, 20);
        const lastModified = new Date(Math.max(...favourites.map((f) => f.updatedAt.getTime())));
        return sendFeed(request, reply, { ...answer, etag: `"personal-${fingerprint}-${extension}"`, lastModified }, {
          async uncached() {
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
              return render(format, { ...input, event: { ...input.event, name: `My schedule: ${event.name}` } });
            }
            const parts = eventIds.map((eventId) =>
              streamSessions(db, eventId, { sessionIds: favourites.filter((f) => f.eventId === eventId).map((f) => f.sessionId) }),
            );
            return render(format, personalInput(parts, config.publicUrl, lastModified));
          },
        });
      },
    );
  }
});

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
    productId: PRODUCT_ID,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    feedCache?: FeedCache;
  }
}
