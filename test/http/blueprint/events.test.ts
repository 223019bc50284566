// OES's API Blueprint for events (docs/api/blueprint/event/events.apib, event_export.apib), action by
// action: the reads, lists and delete of an event, the event of every resource openevent has that
// names one, the event lists under another resource, and the export starts with their example bodies.
// Each gets OES's status and an answer of the example's shape. Create and Update Event with the
// Blueprint's bodies are in test/http/schedule/events-oes.test.ts; the exports' contents in
// test/http/schedule/oes-csv-exports.test.ts and test/e2e. Known, deliberate differences are named
// where they occur.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  body,
  createEvent,
  createPublishedEvent,
  createRoom,
  createSession,
  createSessionType,
  createSpeaker,
  createTrack,
  expectStatus,
  get,
  grantRole,
  patch,
  quickUser,
  rel,
  signUpAdmin,
  type Resource,
  type User,
} from '../../support/schedule.ts';
import { createOrder, createTicket } from '../../support/tickets.ts';

let t: TestApp;
let owner: User;
let buyer: User;
let admin: User;
let ev: Resource;

const FUTURE = { 'starts-at': '2099-03-10T09:00:00Z', 'ends-at': '2099-03-12T18:00:00Z' };

beforeAll(async () => {
  t = await startTestApp({ worker: true });
  [owner, buyer, admin] = await Promise.all([quickUser(t), quickUser(t), signUpAdmin(t)]);
  ev = await createPublishedEvent(t, owner.token, { ...FUTURE, 'is-sponsors-enabled': true, 'is-tax-enabled': true, 'is-sessions-speakers-enabled': true });
});

/** Attribute keys of OES's example answer to Event Details (and of every event in its lists). */
const BLUEPRINT_EVENT_ATTRIBUTES = [
  'bank-details', 'can-pay-by-bank', 'can-pay-by-cheque', 'can-pay-by-omise', 'can-pay-by-paypal', 'can-pay-by-stripe',
  'can-pay-onsite', 'cheque-details', 'code-of-conduct', 'created-at', 'deleted-at', 'description', 'ends-at',
  'external-event-url', 'has-owner-info', 'ical-url', 'icon-image-url', 'identifier', 'is-map-shown',
  'is-sessions-speakers-enabled', 'is-sponsors-enabled', 'is-stripe-linked', 'is-tax-enabled', 'large-image-url',
  'latitude', 'location-name', 'logo-url', 'longitude', 'name', 'online', 'onsite-details', 'original-image-url',
  'owner-description', 'owner-name', 'payment-country', 'payment-currency', 'paypal-email', 'pentabarf-url', 'privacy',
  'refund-policy', 'schedule-published-on', 'searchable-location-name', 'starts-at', 'state', 'thumbnail-image-url',
  'ticket-url', 'timezone', 'xcal-url',
];

/** Relationship names of OES's example event. */
const BLUEPRINT_EVENT_RELATIONSHIPS = [
  'attendees', 'coorganizers', 'custom-forms', 'discount-codes', 'event-copyright', 'event-invoices', 'event-sub-topic',
  'event-topic', 'event-type', 'faq-types', 'faqs', 'microlocations', 'moderators', 'orders', 'organizers', 'owner',
  'registrars', 'role-invites', 'session-types', 'sessions', 'social-links', 'speakers-call', 'sponsors',
  'stripe-authorization', 'tax', 'tickets', 'track-organizers', 'tracks',
];

function expectBlueprintEvent(data: any, id: string) {
  expect(data).toMatchObject({ type: 'event', id, links: { self: `/v1/events/${id}` } });
  expect(Object.keys(data.attributes)).toEqual(expect.arrayContaining(BLUEPRINT_EVENT_ATTRIBUTES));
  for (const name of BLUEPRINT_EVENT_RELATIONSHIPS) {
    expect(data.relationships[name]?.links, name).toEqual({ self: expect.stringMatching(new RegExp(`^/v1/events/${id}/relationships/`)), related: expect.any(String) });
  }
}

describe('Event Details, lists and Delete Event', () => {
  it('Event Details answers the example’s attributes and relationships, for anyone on a published public event', async () => {
    for (const token of [undefined, buyer.token, owner.token]) {
      const response = await get(t, `/v1/events/${ev.id}`, token);
      expect(response.status).toBe(200);
      expectBlueprintEvent(response.body.data, ev.id);
    }
    // By identifier too, as the example's parameter says.
    expect((await get(t, `/v1/events/${ev.attributes.identifier}`)).body.data.id).toBe(ev.id);
  });

  it('List All Events and List All Upcoming Events answer events of the same shape, with meta.count', async () => {
    for (const url of ['/v1/events', '/v1/events/upcoming']) {
      const response = await get(t, `${url}?page[size]=100`);
      expect(response.status, url).toBe(200);
      expect(response.body.meta.count, url).toBeGreaterThanOrEqual(1);
      const found = response.body.data.find((x: Resource) => x.id === ev.id);
      expect(found, url).toBeDefined();
      expectBlueprintEvent(found, ev.id);
    }
  });

  it('Delete Event answers OES’s 200 with meta.message', async () => {
    const doomed = await createEvent(t, owner.token);
    const response = await t.request({ method: 'DELETE', url: `/v1/events/${doomed.id}`, token: owner.token });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ meta: { message: 'Object successfully deleted' }, jsonapi: { version: '1.0' } });
    expect((await get(t, `/v1/events/${doomed.id}`, owner.token)).status).toBe(404);
  });
});

describe('the event of another resource (Get Event for …)', () => {
  const related: Record<string, string> = {};

  beforeAll(async () => {
    const post = async (url: string, type: string, attributes: Record<string, unknown>, relationships: Record<string, unknown> = {}) =>
      expectStatus(await t.request({ method: 'POST', url, token: owner.token, json: body(type, attributes, { event: rel('event', ev.id), ...relationships }) }), 201, `POST ${url}`).body
        .data as Resource;
    const ticket = await createTicket(t, owner.token, ev);
    const [track, room, type, speaker] = await Promise.all([
      createTrack(t, owner.token, ev),
      createRoom(t, owner.token, ev),
      createSessionType(t, owner.token, ev),
      createSpeaker(t, owner.token, ev),
    ]);
    const session = await createSession(t, owner.token, ev, { state: 'accepted' }, { track, speakers: [speaker] });
    const sponsor = await post('/v1/sponsors', 'sponsor', { name: 'Fossasia', level: '1', type: 'Gold' });
    const socialLink = await post('/v1/social-links', 'social-link', { name: 'Facebook Url', link: 'http://facebook.com/facebook', identifier: 'example' });
    const copyright = await post('/v1/event-copyrights', 'event-copyright', { holder: 'Name of Holder', licence: 'Licence text', year: 2007 });
    const tax = await post('/v1/taxes', 'tax', { name: 'Service Tax', rate: '1.23456789', 'is-tax-included-in-price': false });
    const call = await post('/v1/speakers-calls', 'speakers-call', { announcement: 'Talks', 'starts-at': '2098-01-01T00:00:00Z', 'ends-at': '2099-01-01T00:00:00Z', privacy: 'public' });
    const discount = await post(
      '/v1/discount-codes',
      'discount-code',
      { code: 'BLUEPRINT', type: 'percent', value: 10, 'used-for': 'ticket', 'tickets-number': 100, 'max-quantity': 100 },
      { tickets: rel('ticket', [ticket.id]) },
    );
    const forms = (await get(t, `/v1/events/${ev.id}/custom-forms`, owner.token)).body.data as Resource[];
    const order = await createOrder(t, buyer.token, [{ ticket, quantity: 1 }]);
    const attendees = (await get(t, `/v1/orders/${order.attributes.identifier}/attendees`, buyer.token)).body.data as Resource[];
    Object.assign(related, {
      tickets: ticket.id,
      microlocations: room.id,
      'social-links': socialLink.id,
      sponsors: sponsor.id,
      'speakers-calls': call.id,
      tracks: track.id,
      'session-types': type.id,
      'event-copyrights': copyright.id,
      taxes: tax.id,
      'discount-codes': discount.id,
      sessions: session.id,
      speakers: speaker.id,
      attendees: attendees[0]!.id,
      'custom-forms': forms[0]!.id,
      orders: order.attributes.identifier,
    });
  });

  it('answers the event at /v1/{resource}/{id}/event for every such resource openevent has', async () => {
    for (const [plural, id] of Object.entries(related)) {
      const token = plural === 'orders' || plural === 'attendees' ? buyer.token : owner.token;
      const response = await get(t, `/v1/${plural}/${id}/event`, token);
      expect(response.status, `${plural}: ${response.text.slice(0, 300)}`).toBe(200);
      expectBlueprintEvent(response.body.data, ev.id);
    }
  });

  it('answers the event of a tax at OES’s singular /v1/tax/{id}/event too', async () => {
    const response = await get(t, `/v1/tax/${related.taxes}/event`, owner.token);
    expect(response.status, response.text.slice(0, 300)).toBe(200);
    expectBlueprintEvent(response.body.data, ev.id);
  });
});

describe('events under another resource (List All Events of …)', () => {
  // Not here: OES's events of a discount code, the events that used an event-level code (a marketer's
  // code for the organizer's own fees). openevent's codes are for tickets only.
  it('answers the events of a user, a group, an event type, topic and sub-topic', async () => {
    const [type, topic] = await Promise.all(
      [
        ['/v1/event-types', 'event-type', { name: 'Conference', slug: 'conference' }],
        ['/v1/event-topics', 'event-topic', { name: 'Science', slug: 'science' }],
      ].map(async ([url, kind, attributes]) =>
        expectStatus(await t.request({ method: 'POST', url: url as string, token: admin.token, json: body(kind as string, attributes as Record<string, unknown>) }), 201, `POST ${url}`).body
          .data as Resource,
      ),
    );
    const subTopic = expectStatus(
      await t.request({ method: 'POST', url: '/v1/event-sub-topics', token: admin.token, json: body('event-sub-topic', { name: 'Physics', slug: 'physics' }, { 'event-topic': rel('event-topic', topic!.id) }) }),
      201,
      'POST /v1/event-sub-topics',
    ).body.data as Resource;
    const group = expectStatus(await t.request({ method: 'POST', url: '/v1/groups', token: owner.token, json: body('group', { name: 'Blueprint group' }) }), 201, 'POST /v1/groups').body
      .data as Resource;
    const classified = await createPublishedEvent(t, owner.token, FUTURE);
    await patch(t, owner.token, '/v1/events', 'event', classified.id, {}, {
      'event-type': rel('event-type', type!.id),
      'event-topic': rel('event-topic', topic!.id),
      'event-sub-topic': rel('event-sub-topic', subTopic.id),
      group: rel('group', group.id),
    });
    const urls = [
      `/v1/users/${owner.id}/events`,
      `/v1/groups/${group.id}/events`,
      `/v1/event-types/${type!.id}/events`,
      `/v1/event-topics/${topic!.id}/events`,
      `/v1/event-sub-topics/${subTopic.id}/events`,
    ];
    for (const url of urls) {
      const response = await get(t, url, owner.token);
      expect(response.status, `${url}: ${response.text.slice(0, 300)}`).toBe(200);
      const found = response.body.data.find((x: Resource) => x.id === classified.id);
      expect(found, url).toBeDefined();
      expectBlueprintEvent(found, classified.id);
      expect(response.body.meta.count, url).toBeGreaterThanOrEqual(1);
    }
    // Only the events the viewer may see: a draft of the same type is the owner's alone.
    const draft = await createEvent(t, owner.token);
    await patch(t, owner.token, '/v1/events', 'event', draft.id, {}, { 'event-type': rel('event-type', type!.id) });
    expect((await get(t, `/v1/event-types/${type!.id}/events`)).body.data.map((x: Resource) => x.id)).toEqual([classified.id]);
    expect((await get(t, `/v1/event-types/${type!.id}/events`, owner.token)).body.data.map((x: Resource) => x.id).sort()).toEqual([classified.id, draft.id].sort());
    expect((await get(t, '/v1/event-types/999999/events')).status).toBe(404);
  });
});

describe('Group Event Export', () => {
  let organizer: User;
  beforeAll(async () => {
    organizer = await quickUser(t);
    await grantRole(t, owner.token, ev, organizer.id, 'organizer');
  });

  /** The exports openevent has, started as the Blueprint starts them (method and example body). */
  const STARTS: { path: string; method: 'GET' | 'POST'; json?: unknown }[] = [
    { path: 'json', method: 'POST', json: { image: true, video: true, document: true, audio: true } },
    { path: 'ical', method: 'GET' },
    { path: 'xcal', method: 'GET' },
    { path: 'pentabarf', method: 'GET' },
    { path: 'orders/csv', method: 'GET' },
    { path: 'attendees/csv', method: 'GET' },
    { path: 'sessions/csv', method: 'POST', json: { status: 'all' } },
    { path: 'speakers/csv', method: 'POST', json: { status: 'all' } },
  ];

  it('each start answers {"task_url"} of a task that succeeds with a download_url', async () => {
    for (const { path, method, json } of STARTS) {
      const response = await t.request({
        method,
        url: `/v1/events/${ev.id}/export/${path}`,
        token: organizer.token,
        ...(json !== undefined ? { headers: { 'content-type': 'application/vnd.api+json' }, payload: JSON.stringify(json) } : {}),
      });
      // Deliberate difference: OES answers 200; openevent answers 202 Accepted with a Location, which
      // is what starting a job is (OES's client reads task_url from any 2xx).
      expect(response.status, `${path}: ${response.text}`).toBe(202);
      expect(Object.keys(response.body), path).toEqual(['task_url']);
      expect(response.body.task_url).toMatch(/^\/v1\/tasks\/[0-9a-f-]{36}$/);
      let task: any;
      for (let attempt = 0; attempt < 150; attempt++) {
        task = (await get(t, response.body.task_url, organizer.token)).body;
        if (task.state !== 'WAITING') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(task.state, `${path}: ${JSON.stringify(task)}`).toBe('SUCCESS');
      expect(task.result.download_url, path).toMatch(/^https:\/\/events\.example\.org\/v1\/exports\//);
    }
  });
});
