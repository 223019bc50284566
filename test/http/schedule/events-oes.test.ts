// The event as OES's web client reads and writes it (issues 13 item 6, 14 items 1 and 2): every
// attribute of the client's event model, OES's value forms, admin-only placement, OES's relationships
// with their links and includes, the people lists, /v1/events/upcoming, the home page's filters and
// the epoch that unpublishes a schedule. Bodies and expected shapes come from OES's API Blueprint
// (docs/api/blueprint/event/events.apib) and the client (app/models/event.js).
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  createEvent,
  createPublishedEvent,
  createSession,
  get,
  grantRole,
  quickUser,
  type Resource,
  type User,
} from '../../support/schedule.ts';

let t: TestApp;
let owner: User;
let organizer: User;
let stranger: User;
let admin: User;

beforeAll(async () => {
  t = await startTestApp();
  [owner, organizer, stranger, admin] = await Promise.all([quickUser(t), quickUser(t), quickUser(t), quickUser(t, { admin: true })]);
});

const year = new Date().getUTCFullYear();
const future = (offsetYears: number, month = '03') => ({
  'starts-at': `${year + offsetYears}-${month}-10T09:00:00Z`,
  'ends-at': `${year + offsetYears}-${month}-11T17:00:00Z`,
});

/** OES's Blueprint "Create Event" body, with every other attribute the client's model sends (null where unset). */
const BLUEPRINT_CREATE = {
  name: 'example',
  'external-event-url': 'http://example.com',
  'starts-at': '2099-12-13T23:59:59.123456+00:00',
  'ends-at': '2099-12-14T23:59:59.123456+00:00',
  timezone: 'UTC',
  latitude: '1.23456789',
  longitude: '1.23456789',
  'logo-url': 'http://example.com/example.png',
  'location-name': 'example',
  'searchable-location-name': 'example',
  description: 'example',
  'original-image-url': 'https://www.w3schools.com/html/pic_mountain.jpg',
  'owner-name': 'example',
  'is-map-shown': 'true',
  'owner-description': 'example',
  'is-sessions-speakers-enabled': 'true',
  privacy: 'public',
  state: 'draft',
  online: false,
  'ticket-url': 'http://example.com',
  'code-of-conduct': 'example',
  'payment-country': 'US',
  'payment-currency': 'USD',
  'paypal-email': 'example@example.com',
  'is-tax-enabled': 'true',
  'can-pay-by-paypal': 'false',
  'can-pay-by-stripe': 'false',
  'can-pay-by-cheque': 'false',
  'can-pay-by-bank': 'false',
  'can-pay-by-omise': 'false',
  'can-pay-onsite': 'true',
  'cheque-details': 'example',
  'bank-details': 'example',
  'onsite-details': 'example',
  'is-sponsors-enabled': 'false',
  'has-owner-info': 'false',
  // The rest of the client's event model (ember-data sends every attribute on each save).
  'after-order-message': 'See you there!',
  'public-stream-link': null,
  'stream-loop': false,
  'stream-autoplay': true,
  'is-oneclick-signup-enabled': false,
  'is-ticket-form-enabled': true,
  'is-badges-enabled': false,
  'is-cfs-enabled': true,
  'is-videoroom-enabled': false,
  'is-featured': true,
  'is-promoted': true,
  'is-demoted': false,
  'is-chat-enabled': false,
  'is-billing-info-mandatory': true,
  'is-document-enabled': true,
  'document-links': [{ name: 'Venue map', link: 'https://example.com/map.pdf' }],
  'is-announced': false,
  'can-pay-by-paytm': false,
  'can-pay-by-invoice': 'true',
  'can-pay-by-alipay': false,
  'is-stripe-linked': null,
  'invoice-details': 'Invoice on request',
  'refund-policy': 'All sales are final. No refunds shall be issued in any case.',
  'schedule-published-on': '1970-01-01T00:00:00Z',
  'chat-room-name': null,
  'deleted-at': null,
};

/** The relationships OES's Blueprint shows on a created event, each with links.self and links.related. */
const BLUEPRINT_RELATIONSHIPS = [
  'tickets', 'orders', 'owner', 'organizers', 'coorganizers', 'track-organizers', 'registrars', 'moderators',
  'custom-forms', 'faqs', 'faq-types', 'attendees', 'role-invites', 'event-sub-topic', 'speakers-call',
  'event-copyright', 'sessions', 'tax', 'event-topic', 'social-links', 'sponsors', 'tracks', 'event-invoices',
  'session-types', 'microlocations', 'event-type', 'discount-codes', 'stripe-authorization',
];

/** Attributes of OES's Blueprint response to "Create Event". */
const BLUEPRINT_ATTRIBUTES = [
  'payment-country', 'paypal-email', 'thumbnail-image-url', 'schedule-published-on', 'payment-currency',
  'owner-description', 'is-map-shown', 'original-image-url', 'onsite-details', 'owner-name', 'can-pay-by-stripe',
  'can-pay-by-omise', 'large-image-url', 'timezone', 'can-pay-onsite', 'deleted-at', 'online', 'ticket-url',
  'can-pay-by-paypal', 'location-name', 'is-sponsors-enabled', 'has-owner-info', 'is-sessions-speakers-enabled',
  'privacy', 'code-of-conduct', 'state', 'latitude', 'starts-at', 'searchable-location-name', 'can-pay-by-cheque',
  'description', 'pentabarf-url', 'xcal-url', 'logo-url', 'external-event-url', 'is-tax-enabled', 'icon-image-url',
  'ical-url', 'name', 'can-pay-by-bank', 'ends-at', 'created-at', 'longitude', 'bank-details', 'cheque-details',
  'identifier', 'refund-policy', 'is-stripe-linked',
];

const post = (attributes: Record<string, unknown>, token: string, relationships?: Record<string, unknown>) =>
  t.request({ method: 'POST', url: '/v1/events', token, json: { data: { type: 'event', attributes, ...(relationships ? { relationships } : {}) } } });

const patchEvent = (ev: Resource, attributes: Record<string, unknown>, token: string, relationships?: Record<string, unknown>) =>
  t.request({ method: 'PATCH', url: `/v1/events/${ev.id}`, token, json: { data: { type: 'event', id: ev.id, attributes, ...(relationships ? { relationships } : {}) } } });

describe('the event attributes OES and its web client have', () => {
  it('accepts the Blueprint body with every client attribute, stores OES’s meaning and answers in the Blueprint’s shape', async () => {
    const response = await post(BLUEPRINT_CREATE, owner.token);
    expect(response.status, response.text).toBe(201);
    const { data } = response.body;
    expect(Object.keys(data.attributes)).toEqual(expect.arrayContaining(BLUEPRINT_ATTRIBUTES));
    for (const name of BLUEPRINT_RELATIONSHIPS) {
      expect(data.relationships[name], name).toEqual({
        links: { self: expect.stringMatching(new RegExp(`^/v1/events/${data.id}/relationships/`)), related: expect.stringMatching(new RegExp(`^/v1/events/${data.id}/`)) },
      });
    }
    const stored = (await get(t, `/v1/events/${data.id}`, owner.token)).body.data.attributes;
    expect(stored).toMatchObject({
      latitude: 1.23456789,
      longitude: 1.23456789,
      'is-map-shown': true,
      'is-sessions-speakers-enabled': true,
      'is-tax-enabled': true,
      'can-pay-by-paypal': false,
      'can-pay-onsite': true,
      'can-pay-by-invoice': true,
      'has-owner-info': false,
      'paypal-email': 'example@example.com',
      'payment-country': 'US',
      'cheque-details': 'example',
      'bank-details': 'example',
      'onsite-details': 'example',
      'invoice-details': 'Invoice on request',
      'after-order-message': 'See you there!',
      'public-stream-link': null,
      'stream-autoplay': true,
      'stream-loop': false,
      'is-ticket-form-enabled': true,
      'is-badges-enabled': false,
      'is-cfs-enabled': true,
      'is-billing-info-mandatory': true,
      'is-document-enabled': true,
      'document-links': [{ name: 'Venue map', link: 'https://example.com/map.pdf' }],
      'refund-policy': 'All sales are final. No refunds shall be issued in any case.',
      // Computed by OES: openevent keeps no resized copies, no Stripe link and no chat.
      'thumbnail-image-url': 'https://www.w3schools.com/html/pic_mountain.jpg',
      'large-image-url': 'https://www.w3schools.com/html/pic_mountain.jpg',
      'is-stripe-linked': false,
      'chat-room-name': null,
      // The client's "not published" (moment(0)) is kept as not published.
      'schedule-published-on': null,
      // Placement is the admins’ decision: an organizer's values are ignored.
      'is-featured': false,
      'is-promoted': false,
      'is-demoted': false,
    });
  });

  it('takes the client’s PATCH with every attribute and its relationships, null for a flag meaning “unchanged”', async () => {
    const ev = await createEvent(t, owner.token, future(1));
    // The event's type is stored now (issue 14): the client's relationship names a real entry.
    const eventType = await t.request({ method: 'POST', url: '/v1/event-types', token: admin.token, json: { data: { type: 'event-type', attributes: { name: 'Conference' } } } });
    const relationships = {
      'event-type': { data: { type: 'event-type', id: eventType.body.data.id } },
      owner: { data: { type: 'user', id: String(owner.id) } },
      organizers: { data: [] },
      'speakers-call': { data: { type: 'speakers-call', id: '1' } },
      user: { data: { type: 'user', id: String(owner.id) } },
    };
    const attributes = { ...BLUEPRINT_CREATE, ...future(1), 'is-cfs-enabled': null, 'is-map-shown': null, 'stream-loop': 'true' };
    const response = await patchEvent(ev, attributes, owner.token, relationships);
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.attributes).toMatchObject({ 'is-cfs-enabled': false, 'is-map-shown': false, 'stream-loop': true, 'bank-details': 'example' });
    // OES's value forms only: other text is still no boolean.
    const wrong = await patchEvent(ev, { 'stream-loop': 'yes' }, owner.token);
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].source.pointer).toBe('/data/attributes/stream-loop');
  });

  it('takes the Blueprint’s “Update Event” body', async () => {
    const ev = await createEvent(t, owner.token, future(1));
    const response = await patchEvent(ev, {
      name: 'example1',
      'external-event-url': 'http://example11.com',
      'starts-at': '2099-12-14T23:59:59.123456+05:30',
      'ends-at': '2099-12-15T23:59:59.123456+05:30',
      timezone: 'Asia/Kolkata',
      latitude: '12.23456789',
      longitude: '12.23456789',
      'logo-url': 'http://example1.com/example1.png',
      'location-name': 'example1',
      'searchable-location-name': 'example1',
      description: 'example1',
      'original-image-url': 'https://www.w3schools.com/html/pic_mountain.jpg',
      'owner-name': 'example1',
      'is-map-shown': 'false',
      'owner-description': 'example1',
      'is-sessions-speakers-enabled': 'false',
      privacy: 'private',
      state: 'draft',
      'ticket-url': 'http://example1.com',
      'code-of-conduct': 'example1',
      'payment-country': 'US',
      'payment-currency': 'USD',
      'paypal-email': 'example1@example1.com',
      'is-tax-enabled': 'false',
      'can-pay-by-paypal': 'false',
      'can-pay-by-stripe': 'false',
      'can-pay-by-cheque': 'false',
      'can-pay-by-bank': 'false',
      'can-pay-by-omise': 'false',
      'can-pay-onsite': 'false',
      'cheque-details': 'example1',
      'bank-details': 'example1',
      'onsite-details': 'example1',
      'is-sponsors-enabled': 'false',
      'has-owner-info': 'false',
      'refund-policy': 'All sales are final. No refunds shall be issued in any case.',
    }, owner.token);
    expect(response.status, response.text).toBe(200);
    expect(Object.keys(response.body.data.attributes)).toEqual(expect.arrayContaining(BLUEPRINT_ATTRIBUTES));
    expect(response.body.data.attributes).toMatchObject({
      name: 'example1',
      timezone: 'Asia/Kolkata',
      latitude: 12.23456789,
      'is-map-shown': false,
      privacy: 'private',
      'paypal-email': 'example1@example1.com',
      'starts-at': '2099-12-14T18:29:59.123Z',
    });
  });

  it('lets admins alone feature, promote and demote an event', async () => {
    const ev = await createPublishedEvent(t, owner.token, future(1));
    const byOwner = await patchEvent(ev, { 'is-featured': true, 'is-promoted': 'true' }, owner.token);
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.data.attributes).toMatchObject({ 'is-featured': false, 'is-promoted': false });
    const byAdmin = await patchEvent(ev, { 'is-featured': true, 'is-promoted': 'true', 'is-demoted': false }, admin.token);
    expect(byAdmin.status, byAdmin.text).toBe(200);
    expect(byAdmin.body.data.attributes).toMatchObject({ 'is-featured': true, 'is-promoted': true, 'is-demoted': false });
    // The owner's next save (the client sends the flags back as it read them) changes nothing.
    const again = await patchEvent(ev, { 'is-featured': false, name: 'Renamed' }, owner.token);
    expect(again.body.data.attributes).toMatchObject({ 'is-featured': true, name: 'Renamed' });
  });
});

describe('relationships, includes and the people of an event', () => {
  let ev: Resource;
  let ticketId: string;

  beforeAll(async () => {
    ev = await createPublishedEvent(t, owner.token, future(2));
    await grantRole(t, owner.token, ev, organizer.id, 'organizer');
    const ticket = await t.request({
      method: 'POST',
      url: '/v1/tickets',
      token: owner.token,
      json: { data: { type: 'ticket', attributes: { name: 'Free', type: 'free', quantity: 50 }, relationships: { event: { data: { type: 'event', id: ev.id } } } } },
    });
    expect(ticket.status, ticket.text).toBe(201);
    ticketId = ticket.body.data.id;
  });

  it('links tickets to the event’s ticket list, which answers', async () => {
    const { data } = (await get(t, `/v1/events/${ev.id}`)).body;
    expect(data.relationships.tickets.links).toEqual({ self: `/v1/events/${ev.id}/relationships/tickets`, related: `/v1/events/${ev.id}/tickets` });
    const tickets = await get(t, data.relationships.tickets.links.related);
    expect(tickets.status).toBe(200);
    expect(tickets.body.data.map((x: Resource) => x.id)).toEqual([ticketId]);
  });

  it('includes owner, organizers and tickets, and OES features openevent lacks as empty', async () => {
    const include = 'owner,organizers,coorganizers,tickets,event-type,event-topic,event-sub-topic,speakers-call,social-links,video-stream,group,group.followers.user,custom-forms';
    const response = await get(t, `/v1/events/${ev.attributes.identifier}?include=${include}`);
    expect(response.status, response.text).toBe(200);
    const { relationships } = response.body.data;
    expect(relationships.owner.data).toEqual({ type: 'user', id: String(owner.id) });
    expect(relationships.organizers.data).toEqual([{ type: 'user', id: String(organizer.id) }]);
    expect(relationships.coorganizers.data).toEqual([]);
    expect(relationships.tickets.data).toEqual([{ type: 'ticket', id: ticketId }]);
    for (const name of ['event-type', 'event-topic', 'event-sub-topic', 'speakers-call', 'video-stream', 'group']) expect(relationships[name].data, name).toBeNull();
    expect(relationships['social-links'].data).toEqual([]);
    // Custom forms are kept now (issue 14): every event has OES's three attendee fields.
    const forms = relationships['custom-forms'].data.map((x: Resource) => `custom-form:${x.id}`);
    expect(forms).toHaveLength(3);
    const included = response.body.included.map((x: Resource) => `${x.type}:${x.id}`).sort();
    expect(included).toEqual([`ticket:${ticketId}`, `user:${organizer.id}`, `user:${owner.id}`, ...forms].sort());
    // Anyone sees who runs a public event; only its team sees their email addresses.
    expect(response.body.included.find((x: Resource) => x.type === 'user').attributes.email).toBeUndefined();
    const asTeam = await get(t, `/v1/events/${ev.id}?include=owner`, organizer.token);
    expect(asTeam.body.included[0].attributes.email).toBe(owner.email);
    // Relationships not included carry no data, as in OES.
    expect(response.body.data.relationships.sessions).not.toHaveProperty('data');
  });

  it('answers the relationships’ self links with their linkage', async () => {
    const { data } = (await get(t, `/v1/events/${ev.id}`)).body;
    const organizers = await get(t, data.relationships.organizers.links.self);
    expect(organizers.status, organizers.text).toBe(200);
    expect(organizers.body.data).toEqual([{ type: 'user', id: String(organizer.id) }]);
    const tickets = await get(t, data.relationships.tickets.links.self);
    expect(tickets.body).toMatchObject({ data: [{ type: 'ticket', id: ticketId }], links: data.relationships.tickets.links });
    expect((await get(t, data.relationships.owner.links.self)).body.data).toEqual({ type: 'user', id: String(owner.id) });
    expect((await get(t, data.relationships.sponsors.links.self)).body.data).toEqual([]);
    expect((await get(t, data.relationships['video-stream'].links.self)).body.data).toBeNull();
    expect((await get(t, `/v1/events/${ev.id}/relationships/colours`)).status).toBe(404);
  });

  it('refuses an include it cannot answer truthfully', async () => {
    const response = await get(t, `/v1/events/${ev.id}?include=colours`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].source.parameter).toBe('include');
  });

  it('includes on lists too', async () => {
    const response = await get(t, `/v1/events?include=owner,tickets,event-type&filter=${encodeURIComponent(JSON.stringify([{ name: 'id', op: 'eq', val: ev.id }]))}`);
    expect(response.status, response.text).toBe(200);
    expect(response.body.data[0].relationships.owner.data).toEqual({ type: 'user', id: String(owner.id) });
    expect(response.body.data[0].relationships['event-type'].data).toBeNull();
    expect(response.body.included.map((x: Resource) => x.type).sort()).toEqual(['ticket', 'user']);

    // The organizer's event list (the client's events/list route) asks for the roles with their people.
    const mineList = await get(t, `/v1/events?include=general-statistics,roles.role,roles.user,tickets&filter=${encodeURIComponent(JSON.stringify([{ name: 'id', op: 'eq', val: ev.id }]))}`, owner.token);
    expect(mineList.status, mineList.text).toBe(200);
    expect(mineList.body.data[0].relationships.roles.data).toHaveLength(2);
    // The owner sees the event's statistics, and each role's role resource.
    expect(mineList.body.data[0].relationships['general-statistics'].data).toEqual({ type: 'event-statistics-general', id: ev.id });
    expect(mineList.body.included.filter((x: Resource) => x.type === 'role').map((x: Resource) => x.attributes.name).sort()).toEqual(['organizer', 'owner']);
    const people = mineList.body.included.filter((x: Resource) => x.type === 'user').map((x: Resource) => x.id).sort();
    expect(people).toEqual([String(owner.id), String(organizer.id)].sort());
    expect(mineList.body.included.filter((x: Resource) => x.type === 'users-events-roles')).toHaveLength(2);
  });

  it('lists a user’s events for the organizer’s event list, to that user and admins', async () => {
    const query = `include=general-statistics,roles.role,roles.user,tickets&page[size]=100&filter=${encodeURIComponent(JSON.stringify([{ name: 'state', op: 'eq', val: 'published' }]))}`;
    const theirs = await get(t, `/v1/users/${organizer.id}/events?${query}`, organizer.token);
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.body.data.map((x: Resource) => x.id)).toEqual([ev.id]);
    expect(theirs.body.included.map((x: Resource) => x.type)).toContain('ticket');
    expect((await get(t, `/v1/users/${organizer.id}/events`, admin.token)).body.data.map((x: Resource) => x.id)).toEqual([ev.id]);
    expect((await get(t, `/v1/users/${organizer.id}/events`, stranger.token)).status).toBe(403);
    expect((await get(t, `/v1/users/${organizer.id}/events`)).status).toBe(401);
  });

  it('answers the people lists at their related links', async () => {
    const { data } = (await get(t, `/v1/events/${ev.id}`)).body;
    const ownerDoc = await get(t, data.relationships.owner.links.related);
    expect(ownerDoc.status).toBe(200);
    expect(ownerDoc.body.data).toMatchObject({ type: 'user', id: String(owner.id) });
    const organizers = await get(t, `/v1/events/${ev.attributes.identifier}/organizers`, owner.token);
    expect(organizers.status).toBe(200);
    expect(organizers.body.data.map((x: Resource) => x.id)).toEqual([String(organizer.id)]);
    expect(organizers.body.data[0].attributes.email).toBe(organizer.email);
    expect(organizers.body.meta.count).toBe(1);
    for (const list of ['coorganizers', 'track-organizers', 'registrars', 'moderators']) {
      const response = await get(t, `/v1/events/${ev.id}/${list}`);
      expect(response.status, list).toBe(200);
      expect(response.body.data, list).toEqual([]);
    }
    const draft = await createEvent(t, owner.token);
    expect((await get(t, `/v1/events/${draft.id}/organizers`, stranger.token)).status).toBe(404);
  });
});

describe('GET /v1/events/upcoming and the home page’s filters', () => {
  let soon: Resource;
  let later: Resource;
  let promotedDemoted: Resource;
  let names: Set<string>;

  beforeAll(async () => {
    const tag = `u${Date.now()}`;
    later = await createPublishedEvent(t, owner.token, { name: `${tag} later`, ...future(3, '06') });
    soon = await createPublishedEvent(t, owner.token, { name: `${tag} soon`, ...future(3, '02') });
    promotedDemoted = await createPublishedEvent(t, owner.token, { name: `${tag} promoted`, ...future(3, '04') });
    const demoted = await createPublishedEvent(t, owner.token, { name: `${tag} demoted`, ...future(3, '05') });
    await createEvent(t, owner.token, { name: `${tag} draft`, ...future(3) });
    await createPublishedEvent(t, owner.token, { name: `${tag} private`, privacy: 'private', ...future(3) });
    await createPublishedEvent(t, owner.token, { name: `${tag} past`, 'starts-at': '2020-01-01T09:00:00Z', 'ends-at': '2020-01-02T09:00:00Z' });
    expect((await patchEvent(demoted, { 'is-demoted': true }, admin.token)).status).toBe(200);
    expect((await patchEvent(promotedDemoted, { 'is-demoted': true, 'is-promoted': true, 'is-featured': 'true' }, admin.token)).status).toBe(200);
    names = new Set([soon, later, promotedDemoted, demoted].map((x) => x.attributes.name as string));
  });

  const mine = (data: Resource[]) => data.map((x) => x.attributes.name as string).filter((name) => name.startsWith([...names][0]!.split(' ')[0]!));

  it('lists published public events that have not started, by start; demoted ones only when promoted', async () => {
    const response = await get(t, '/v1/events/upcoming?page[size]=100&include=event-topic,event-sub-topic,event-type,speakers-call');
    expect(response.status, response.text).toBe(200);
    expect(mine(response.body.data)).toEqual([soon, promotedDemoted, later].map((x) => x.attributes.name));
    expect(response.body.links.self).toMatch(/^\/v1\/events\/upcoming\?/);
  });

  it('filters on the placement flags with true as JSON or as text', async () => {
    for (const val of [true, 'true']) {
      const filter = encodeURIComponent(JSON.stringify([{ name: 'is-featured', op: 'eq', val }]));
      const response = await get(t, `/v1/events?filter=${filter}&page[size]=100`);
      expect(response.status, response.text).toBe(200);
      expect(mine(response.body.data)).toEqual([promotedDemoted.attributes.name]);
    }
  });

  it('answers the home page’s own queries', async () => {
    const now = new Date().toISOString();
    const published = { and: [{ name: 'state', op: 'eq', val: 'published' }, { name: 'privacy', op: 'eq', val: 'public' }] };
    const featured = [
      { and: [...published.and, { name: 'is-featured', op: 'eq', val: true }] },
      { or: [{ name: 'ends-at', op: 'ge', val: now }] },
    ];
    const featuredList = await get(t, `/v1/events?sort=starts-at&include=event-topic,event-sub-topic,event-type,speakers-call&page[size]=6&filter=${encodeURIComponent(JSON.stringify(featured))}`);
    expect(featuredList.status, featuredList.text).toBe(200);
    expect(mine(featuredList.body.data)).toEqual([promotedDemoted.attributes.name]);

    // The call-for-speakers list: an event with a type, topic and sub-topic and a public call. openevent
    // keeps none of these, so no event qualifies, and the query is still answered.
    const callForSpeakers = [
      {
        and: [
          ...published.and,
          { or: [{ name: 'is-promoted', op: 'eq', val: true }, { and: [{ name: 'logo-url', op: 'ne', val: null }, { name: 'event-topic', op: 'ne', val: null }, { name: 'event-type', op: 'ne', val: null }] }] },
          { name: 'is-sessions-speakers-enabled', op: 'eq', val: true },
          { name: 'is-demoted', op: 'eq', val: false },
          { name: 'speakers-call', op: 'has', val: { name: 'privacy', op: 'eq', val: 'public' } },
          { name: 'speakers-call', op: 'has', val: { name: 'starts-at', op: 'le', val: now } },
          { name: 'speakers-call', op: 'has', val: { name: 'announcement', op: 'ne', val: null } },
        ],
      },
      { or: [{ name: 'ends-at', op: 'ge', val: now }, { name: 'starts-at', op: 'ge', val: now }] },
    ];
    const cfs = await get(t, `/v1/events?sort=starts-at&filter=${encodeURIComponent(JSON.stringify(callForSpeakers))}`);
    expect(cfs.status, cfs.text).toBe(200);
    expect(cfs.body.data).toEqual([]);

    // "Has no topic" holds for every event (here: the five published public ones); "sells a free ticket" for none of these.
    const noTopic = await get(t, `/v1/events?page[size]=100&filter=${encodeURIComponent(JSON.stringify([{ name: 'event-topic', op: 'eq', val: null }]))}`);
    expect(mine(noTopic.body.data)).toHaveLength(5);
    const free = await get(t, `/v1/events?page[size]=100&filter=${encodeURIComponent(JSON.stringify([{ name: 'tickets', op: 'any', val: { name: 'type', op: 'eq', val: 'free' } }]))}`);
    expect(free.status, free.text).toBe(200);
    expect(mine(free.body.data)).toEqual([]);
  });
});

describe('schedule-published-on 1970-01-01T00:00:00Z means not published', () => {
  it('unpublishes the schedule: the attribute reads null and the public feed leaves the sessions out', async () => {
    const ev = await createPublishedEvent(t, owner.token, { ...future(1), 'schedule-published-on': '2026-01-01T00:00:00Z' });
    await createSession(t, owner.token, ev, { title: 'Keynote', state: 'accepted', ...future(1) });
    const before = await get(t, `/v1/events/${ev.attributes.identifier}.ics`);
    expect(before.status).toBe(200);
    expect(before.text).toContain('SUMMARY:Keynote');

    const response = await patchEvent(ev, { 'schedule-published-on': '1970-01-01T00:00:00Z' }, owner.token);
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.attributes['schedule-published-on']).toBeNull();
    const after = await get(t, `/v1/events/${ev.attributes.identifier}.ics`);
    expect(after.status).toBe(200);
    expect(after.text).not.toContain('Keynote');

    const republished = await patchEvent(ev, { 'schedule-published-on': '2026-02-01T00:00:00Z' }, owner.token);
    expect(republished.body.data.attributes['schedule-published-on']).toBe('2026-02-01T00:00:00Z');
    expect((await get(t, `/v1/events/${ev.attributes.identifier}.ics`)).text).toContain('SUMMARY:Keynote');
  });
});
