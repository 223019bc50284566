// Events: who sees which in lists, the rules an event's values follow (a real IANA zone, an end after
// the start, an ISO 4217 currency that stays put once tickets are priced in it), and creating,
// changing and deleting one. The creator is the one owner, set in the same transaction.
import { randomInt } from 'node:crypto';
import { and, asc, count, eq, gt, inArray, isNull, not, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Queryable } from '../db/connection.ts';
import { listPage, type Page } from '../db/paging.ts';
import { eventRoles, events, speakersCalls, tickets, users, type RoleName } from '../db/schema/index.ts';
import { eventAccess, findEvent, type Event, type EventAccess } from './access.ts';
import { addDefaultAttendeeFields } from './custom-forms.ts';
import { checkClassification, findEventSubTopic, findEventTopic, findEventType } from './event-classification.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from './errors.ts';
import { touchSchedule } from './schedule-version.ts';
import { isTimeZoneName } from './time-zones.ts';
import { publicTickets, ticketsInOrder, type Ticket } from './tickets.ts';
import type { Role } from './roles.ts';
import type { User } from './users.ts';

export type { Event, EventAccess };
export type NewEvent = Omit<typeof events.$inferInsert, 'id' | 'identifier'>;
export type EventChanges = Partial<NewEvent>;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** 8 lowercase alphanumerics: 2.8 × 10^12 values, so a clash is rare and simply retried. */
export function newIdentifier(): string {
  let identifier = '';
  for (let i = 0; i < 8; i++) identifier += ALPHABET[randomInt(ALPHABET.length)];
  return identifier;
}

/** The rules on an event's own values, checked on the event as it would be after the change. */
export function checkEventValues(values: EventChanges): void {
  if (values.timezone !== undefined && !isTimeZoneName(values.timezone)) {
    throw new InvalidError(
      `"${values.timezone}" is not an IANA time zone name (spelled as in the database, e.g. Europe/Berlin)`,
      { attribute: 'timezone' },
    );
  }
  if (values.startsAt && values.endsAt && values.endsAt.getTime() <= values.startsAt.getTime()) {
    throw new InvalidError('"ends-at" must be after "starts-at"', { attribute: 'ends-at' });
  }
  if (values.paymentCurrency && !CURRENCIES.has(values.paymentCurrency)) {
    throw new InvalidError(`"${values.paymentCurrency}" is not an ISO 4217 currency code`, { attribute: 'payment-currency' });
  }
}

/** Home-page placement is the site's decision: only admins set it; anyone else's values are ignored. */
const ADMIN_FLAGS = ['isFeatured', 'isPromoted', 'isDemoted'] as const;

/**
 * The values as they are kept: placement flags dropped unless an admin sets them, and a schedule
 * "published on" the epoch stored as not published (OES's web client sends 1970-01-01T00:00:00Z to
 * unpublish; every published rule here reads null as "not published").
 */
export function keptValues<T extends EventChanges>(values: T, isAdmin: boolean): T {
  const kept = { ...values };
  if (!isAdmin) for (const flag of ADMIN_FLAGS) delete kept[flag];
  if (kept.schedulePublishedOn instanceof Date && kept.schedulePublishedOn.getTime() === 0) kept.schedulePublishedOn = null;
  return kept;
}

export async function createEvent(db: Database, owner: User, given: NewEvent): Promise<Event> {
  const values = keptValues(given, owner.isAdmin);
  checkEventValues(values);
  await checkClassification(db, values);
  for (let attempt = 0; ; attempt++) {
    const identifier = newIdentifier();
    const event = await db.transaction(async (tx) => {
      const [created] = await tx.insert(events).values({ ...values, identifier }).onConflictDoNothing().returning();
      if (!created) return null;
      await tx.insert(eventRoles).values({ userId: owner.id, eventId: created.id, roleName: 'owner' });
      await addDefaultAttendeeFields(tx, created.id);
      return created;
    });
    if (event) return event;
    if (attempt >= 5) throw new Error('could not find a free event identifier');
  }
}

/** The event and what this user may do with it; for anyone who may not see it, it does not exist. */
export async function readableEvent(db: Queryable, key: string | number, user: User | null): Promise<EventAccess> {
  const access = await eventAccess(db, key, user);
  if (!access?.canRead) throw new NotFoundError('Not found');
  return access;
}

/**
 * The currency lock: prices are stored in minor units of the event's currency, so switching currency
 * under existing tickets would silently change every price (and every past order's meaning).
 */
export async function checkCurrencyChange(db: Queryable, event: Event, currency: string | null | undefined): Promise<void> {
  if (currency === undefined || currency === event.paymentCurrency) return;
  const [priced] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.eventId, event.id)).limit(1);
  if (priced) {
    throw new ConflictError(
      'The event already has tickets priced in its currency; delete them before changing "payment-currency"',
      { attribute: 'payment-currency' },
    );
  }
}

function requireManager(access: EventAccess, action: string): void {
  if (!access.canManage) throw new ForbiddenError(`Only the event’s owner, organizers and co-organizers can ${action} it`);
}

/** The event, for one of its managers: 404 for those who may not see it, 403 for those who may only look. */
export async function managedEvent(db: Queryable, key: string | number, user: User | null, action: 'change' | 'delete'): Promise<EventAccess> {
  const access = await readableEvent(db, key, user);
  requireManager(access, action);
  return access;
}

export async function changeEvent(db: Queryable, access: EventAccess, given: EventChanges): Promise<Event> {
  requireManager(access, 'change');
  const changes = keptValues(given, access.isAdmin);
  // The stored zone is not judged again: only a zone being set now must be a valid name.
  checkEventValues({ ...access.event, ...changes, timezone: changes.timezone });
  await checkCurrencyChange(db, access.event, changes.paymentCurrency);
  await checkClassification(db, changes);
  // Name, zone and times are in every exported calendar: they change the schedule too.
  await touchSchedule(db, access.event.id, { ...changes, updatedAt: new Date() });
  return (await findEvent(db, access.event.id))!;
}

/** Soft delete: everything under the event disappears with it. */
export async function deleteEvent(db: Queryable, access: EventAccess): Promise<void> {
  requireManager(access, 'delete');
  await touchSchedule(db, access.event.id, { deletedAt: new Date(), updatedAt: new Date() });
}

/** The columns lists filter and sort on, by property name, and their default order. */
export const eventColumns = events;
export const eventListOrder: SQL[] = [asc(events.startsAt), asc(events.id)];

/** Events this viewer may see in lists: public ones, their own (any role), everything for admins. */
function visibleTo(user: User | null): SQL | undefined {
  const published = and(eq(events.state, 'published'), eq(events.privacy, 'public'));
  if (user?.isAdmin) return isNull(events.deletedAt);
  const mine = user
    ? sql`EXISTS (SELECT 1 FROM ${eventRoles} WHERE ${eventRoles.eventId} = ${events.id} AND ${eventRoles.userId} = ${user.id} AND ${eventRoles.deletedAt} IS NULL)`
    : undefined;
  return and(isNull(events.deletedAt), mine ? or(published, mine) : published);
}

export interface ListWindow {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

/** One page of the events this viewer may see, each with what the viewer may do with it. */
export async function listVisibleEvents(db: Queryable, user: User | null, window: ListWindow): Promise<Page<EventAccess>> {
  const where = and(visibleTo(user), window.where);
  const page = await listPage(
    db.select().from(events).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(events).where(where),
  );
  const rows = await Promise.all(page.rows.map(async (event) => (await eventAccess(db, event.id, user))!));
  return { rows, total: page.total };
}

/** What classifies an event, as OES's paths name it (`/v1/event-types/{id}/events`, …). */
export type EventClassification = 'event-types' | 'event-topics' | 'event-sub-topics';

const CLASSIFIED_BY = {
  'event-types': { column: events.eventTypeId, find: findEventType },
  'event-topics': { column: events.eventTopicId, find: findEventTopic },
  'event-sub-topics': { column: events.eventSubTopicId, find: findEventSubTopic },
} as const;

/** The events of one type, topic or sub-topic this viewer may see (404 when there is no such one). */
export async function listVisibleEventsClassifiedAs(
  db: Queryable,
  user: User | null,
  by: { kind: EventClassification; id: number },
  window: ListWindow,
): Promise<Page<EventAccess>> {
  const { column, find } = CLASSIFIED_BY[by.kind];
  await find(db, by.id);
  return listVisibleEvents(db, user, { ...window, where: and(eq(column, by.id), window.where) });
}

/**
 * OES's upcoming events: published public events that have not started yet, by start. Promoted
 * ones always; demoted ones never unless promoted too. (OES also asks non-promoted events for images,
 * a type, topic and sub-topic, tickets on sale and a Twitter link, features openevent does not keep;
 * those are left out of the rule rather than making the list always empty.)
 */
export async function listUpcomingEvents(db: Queryable, user: User | null, window: ListWindow, now = new Date()): Promise<Page<EventAccess>> {
  const where = and(
    eq(events.state, 'published'),
    eq(events.privacy, 'public'),
    isNull(events.deletedAt),
    gt(events.startsAt, now),
    gt(events.endsAt, now),
    or(events.isPromoted, not(events.isDemoted)),
    window.where,
  );
  const page = await listPage(
    db.select().from(events).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(events).where(where),
  );
  const rows = await Promise.all(page.rows.map(async (event) => (await eventAccess(db, event.id, user))!));
  return { rows, total: page.total };
}

/** The people who hold one of these roles in the event (OES's owner, organizers, coorganizers… lists), by id. */
export async function eventMembers(db: Queryable, eventId: number, roleNames: readonly RoleName[]): Promise<Map<RoleName, User[]>> {
  const rows = await db
    .select({ roleName: eventRoles.roleName, user: users })
    .from(eventRoles)
    .innerJoin(users, eq(users.id, eventRoles.userId))
    .where(and(eq(eventRoles.eventId, eventId), inArray(eventRoles.roleName, [...roleNames]), isNull(eventRoles.deletedAt), isNull(users.deletedAt)))
    .orderBy(asc(users.id));
  const members = new Map<RoleName, User[]>(roleNames.map((name) => [name, []]));
  for (const row of rows) members.get(row.roleName)!.push(row.user);
  return members;
}

/** The event's tickets this viewer may see (the team: all; anyone else: those not hidden), in sale order. */
export async function ticketsOfEvent(db: Queryable, access: EventAccess): Promise<Ticket[]> {
  return db
    .select()
    .from(tickets)
    .where(and(eq(tickets.eventId, access.event.id), isNull(tickets.deletedAt), access.isTeam ? undefined : publicTickets()))
    .orderBy(...ticketsInOrder());
}

/** The event's roles, for its managers only (as the roles list); nobody else sees who holds which. */
export async function rolesOfEvent(db: Queryable, access: EventAccess): Promise<Role[]> {
  if (!access.canManage) return [];
  return db.select().from(eventRoles).where(and(eq(eventRoles.eventId, access.event.id), isNull(eventRoles.deletedAt))).orderBy(asc(eventRoles.id));
}

/**
 * `speakers-call has {…}` (the home page's "call for speakers" list): the event has a live public call
 * that matches. A private call is for its link's holders: event lists never reveal it.
 */
export const speakersCallFilter = {
  kind: 'one' as const,
  fields: () => ({
    id: { column: speakersCalls.id, kind: 'integer' as const },
    announcement: { column: speakersCalls.announcement, kind: 'text' as const },
    'starts-at': { column: speakersCalls.startsAt, kind: 'instant' as const },
    'ends-at': { column: speakersCalls.endsAt, kind: 'instant' as const },
    'soft-ends-at': { column: speakersCalls.softEndsAt, kind: 'instant' as const },
    privacy: { column: speakersCalls.privacy, kind: 'text' as const },
  }),
  exists: (where: SQL | undefined): SQL =>
    sql`EXISTS (SELECT 1 FROM ${speakersCalls} WHERE ${speakersCalls.eventId} = ${events.id} AND ${speakersCalls.deletedAt} IS NULL AND ${speakersCalls.privacy} = 'public'${where ? sql` AND ${where}` : sql``})`,
};

/** `tickets any {…}` (the explore page's ticket-type filter): the event sells a ticket that matches. */
export const ticketsFilter = {
  kind: 'many' as const,
  fields: () => ({
    id: { column: tickets.id, kind: 'integer' as const },
    name: { column: tickets.name, kind: 'text' as const },
    type: { column: tickets.type, kind: 'text' as const },
    'is-hidden': { column: tickets.isHidden, kind: 'boolean' as const },
  }),
  exists: (where: SQL | undefined): SQL =>
    sql`EXISTS (SELECT 1 FROM ${tickets} WHERE ${tickets.eventId} = ${events.id} AND ${tickets.deletedAt} IS NULL AND ${tickets.isHidden} = false${where ? sql` AND ${where}` : sql``})`,
};

/**
 * The events a user has a role in (OES's /v1/users/{id}/events, the organizer's event list), for that
 * user and admins only.
 */
export async function listEventsOfUser(db: Queryable, viewer: User, userId: number, window: ListWindow): Promise<Page<EventAccess>> {
  if (viewer.id !== userId && !viewer.isAdmin) throw new ForbiddenError('Only the user and admins see the events a user works on');
  const where = and(
    isNull(events.deletedAt),
    sql`EXISTS (SELECT 1 FROM ${eventRoles} WHERE ${eventRoles.eventId} = ${events.id} AND ${eventRoles.userId} = ${userId} AND ${eventRoles.deletedAt} IS NULL)`,
    window.where,
  );
  const page = await listPage(
    db.select().from(events).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset),
    db.select({ n: count() }).from(events).where(where),
  );
  const rows = await Promise.all(page.rows.map(async (event) => (await eventAccess(db, event.id, viewer))!));
  return { rows, total: page.total };
}
