// What OES's event page and wizard read and write around the schedule (docs/api/blueprint/sponsors.apib,
// social_links.apib, copyright.apib, tax.apib, event/event_statistics.apib): sponsors, social links,
// the event's copyright and tax, its general statistics, its to-one related routes, and the roles
// included with role invitations and users-events-roles. The Blueprint's request bodies are the inputs.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  createEvent,
  createPublishedEvent,
  createSession,
  createSpeaker,
  expectStatus,
  grantRole,
  inviteBody,
  patch,
  quickUser,
  type Resource,
  type User,
} from '../../support/schedule.ts';

let t: TestApp;
let owner: User;
let coorganizer: User;
let moderator: User;
let stranger: User;
let ev: Resource;

beforeAll(async () => {
  t = await startTestApp();
  [owner, coorganizer, moderator, stranger] = await Promise.all([quickUser(t), quickUser(t), quickUser(t), quickUser(t)]);
  ev = await createPublishedEvent(t, owner.token, { 'is-sponsors-enabled': true, 'is-tax-enabled': true });
  await grantRole(t, owner.token, ev, coorganizer.id, 'coorganizer');
  await grantRole(t, owner.token, ev, moderator.id, 'moderator');
});

const eventRel = (id: string) => ({ event: { data: { type: 'event', id } } });
const get = (url: string, token?: string) => t.request({ method: 'GET', url, token });
const post = (url: string, json: unknown, token?: string) => t.request({ method: 'POST', url, json, token });

/** The Blueprint's "Create Sponsor" body (level as the string OES takes). */
const sponsorBody = (eventId: string, attributes: Record<string, unknown> = {}) => ({
  data: {
    relationships: eventRel(eventId),
    attributes: { name: 'Fossasia', description: 'Fossasia', 'logo-url': 'http://example.com/example.png', url: 'http://example.com', level: '1', type: 'Gold', ...attributes },
    type: 'sponsor',
  },
});
const socialLinkBody = (eventId: string) => ({
  data: { relationships: eventRel(eventId), attributes: { name: 'Facebook Url', link: 'http://facebook.com/facebook', identifier: 'example' }, type: 'social-link' },
});
const copyrightBody = (eventId: string, attributes: Record<string, unknown> = {}) => ({
  data: {
    relationships: eventRel(eventId),
    attributes: {
      holder: 'Name of Holder',
      'holder-url': 'http://holder-url.com',
      licence: 'Licence text',
      'licence-url': 'http://licence-url.com',
      year: 2007,
      'logo-url': 'http://logo-url.com',
      ...attributes,
    },
    type: 'event-copyright',
  },
});
const taxBody = (eventId: string) => ({
  data: {
    relationships: eventRel(eventId),
    attributes: {
      city: 'example',
      zip: '123456',
      country: 'IN',
      'is-tax-included-in-price': false,
      'invoice-footer': 'example',
      state: 'example',
      'tax-id': '123456789',
      name: 'Service Tax',
      'registered-company': 'fossasia',
      address: 'example',
      rate: '1.23456789',
      'should-send-invoice': false,
      'is-invoice-sent': false,
    },
    type: 'tax',
  },
});

describe('sponsors', () => {
  it('takes the Blueprint body from a coorganizer and answers as OES: 201, the attributes, the event as links', async () => {
    const created = await post('/v1/sponsors', sponsorBody(ev.id), coorganizer.token);
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(created.headers.location).toBe(`/v1/sponsors/${id}`);
    expect(created.body.data).toEqual({
      type: 'sponsor',
      id,
      attributes: { name: 'Fossasia', description: 'Fossasia', url: 'http://example.com', level: 1, type: 'Gold', 'logo-url': 'http://example.com/example.png', 'deleted-at': null },
      relationships: { event: { links: { self: `/v1/sponsors/${id}/relationships/event`, related: `/v1/sponsors/${id}/event` } } },
      links: { self: `/v1/sponsors/${id}` },
    });
  });

  it('lists an event’s sponsors to anyone, whole with page[size]=0 as the public page asks, sorted by level', async () => {
    const event = await createPublishedEvent(t, owner.token, { 'is-sponsors-enabled': true });
    for (const [name, level] of [['Silver', '2'], ['Gold', '1'], ['Bronze', '3']]) {
      expectStatus(await post('/v1/sponsors', sponsorBody(event.id, { name, level }), owner.token), 201, 'sponsor');
    }
    for (const token of [undefined, stranger.token]) {
      const response = await get(`/v1/events/${event.id}/sponsors?page[size]=0&cache=true&public=true`, token);
      expect(response.status).toBe(200);
      expect(response.body.meta.count).toBe(3);
      expect(response.body.data.map((s: Resource) => s.attributes.name)).toEqual(['Gold', 'Silver', 'Bronze']);
    }
    const paged = await get(`/v1/events/${event.attributes.identifier}/sponsors?filter=[]&page[size]=10&page[number]=1&sort=-level`);
    expect(paged.body.data.map((s: Resource) => s.attributes.name)).toEqual(['Bronze', 'Silver', 'Gold']);
    const filtered = await get(`/v1/events/${event.id}/sponsors?filter=${encodeURIComponent(JSON.stringify([{ name: 'type', op: 'eq', val: 'Gold' }]))}`);
    expect(filtered.body.meta.count).toBe(3);
  });

  it('changes and deletes for organizers only; strangers and the anonymous cannot write', async () => {
    const id = expectStatus(await post('/v1/sponsors', sponsorBody(ev.id), owner.token), 201, 'sponsor').body.data.id;
    expect((await post('/v1/sponsors', sponsorBody(ev.id), stranger.token)).status).toBe(403);
    expect((await post('/v1/sponsors', sponsorBody(ev.id))).status).toBe(401);
    // A moderator is on the team but does not manage the event.
    expect((await post('/v1/sponsors', sponsorBody(ev.id), moderator.token)).status).toBe(403);
    const change = { data: { type: 'sponsor', id, attributes: { name: 'FOSSASIA', level: 2 } } };
    expect((await t.request({ method: 'PATCH', url: `/v1/sponsors/${id}`, token: stranger.token, json: change })).status).toBe(403);
    const changed = await t.request({ method: 'PATCH', url: `/v1/sponsors/${id}`, token: coorganizer.token, json: change });
    expect(changed.status).toBe(200);
    expect(changed.body.data.attributes).toMatchObject({ name: 'FOSSASIA', level: 2, type: 'Gold' });
    expect((await t.request({ method: 'DELETE', url: `/v1/sponsors/${id}`, token: stranger.token })).status).toBe(403);
    const deleted = await t.request({ method: 'DELETE', url: `/v1/sponsors/${id}`, token: owner.token });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ meta: { message: 'Object successfully deleted' }, jsonapi: { version: '1.0' } });
    expect((await get(`/v1/sponsors/${id}`)).status).toBe(404);
  });

  it('answers its event links: the event, and the linkage', async () => {
    const id = expectStatus(await post('/v1/sponsors', sponsorBody(ev.id), owner.token), 201, 'sponsor').body.data.id;
    const event = await get(`/v1/sponsors/${id}/event`);
    expect(event.status).toBe(200);
    expect(event.body.data).toMatchObject({ type: 'event', attributes: { identifier: ev.attributes.identifier } });
    expect((await get(`/v1/sponsors/${id}/relationships/event`)).body.data).toEqual({ type: 'event', id: ev.id });
  });

  it('refuses sponsors for an event that has them turned off, as OES (403)', async () => {
    const off = await createEvent(t, owner.token);
    const response = await post('/v1/sponsors', sponsorBody(off.id), owner.token);
    expect(response.status).toBe(403);
    expect(response.body.errors[0].detail).toBe('Sponsors are disabled for this Event');
  });

  it('answers bad input with JSON:API errors', async () => {
    const noName = await post('/v1/sponsors', sponsorBody(ev.id, { name: undefined }), owner.token);
    expect(noName.status).toBe(422);
    expect(noName.body.errors[0].source).toEqual({ pointer: '/data/attributes/name' });
    const badLevel = await post('/v1/sponsors', sponsorBody(ev.id, { level: 'first' }), owner.token);
    expect([400, 422]).toContain(badLevel.status);
    expect(badLevel.body.errors.length).toBeGreaterThan(0);
    const badUrl = await post('/v1/sponsors', sponsorBody(ev.id, { url: 'not a url' }), owner.token);
    expect([400, 422]).toContain(badUrl.status);
    const noEvent = await post('/v1/sponsors', { data: { type: 'sponsor', attributes: { name: 'X' } } }, owner.token);
    expect(noEvent.status).toBe(422);
  });

  it('shows nothing of a draft event to strangers', async () => {
    const draft = await createEvent(t, owner.token, { 'is-sponsors-enabled': true });
    expectStatus(await post('/v1/sponsors', sponsorBody(draft.id), owner.token), 201, 'sponsor');
    expect((await get(`/v1/events/${draft.id}/sponsors`, stranger.token)).status).toBe(404);
    expect((await get(`/v1/events/${draft.id}/sponsors`, owner.token)).body.meta.count).toBe(1);
  });
});

describe('social links', () => {
  it('takes the Blueprint body from an organizer, lists it to anyone and includes it with the event', async () => {
    const created = await post('/v1/social-links', socialLinkBody(ev.id), owner.token);
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(created.body.data).toMatchObject({
      type: 'social-link',
      id,
      attributes: { name: 'Facebook Url', link: 'http://facebook.com/facebook', identifier: 'example' },
      relationships: { event: { links: { self: `/v1/social-links/${id}/relationships/event`, related: `/v1/social-links/${id}/event` } } },
    });
    const listed = await get(`/v1/events/${ev.id}/social-links?page[size]=0`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((link: Resource) => link.id)).toContain(id);
    const event = await get(`/v1/events/${ev.id}?include=social-links`);
    expect(event.body.data.relationships['social-links'].data).toContainEqual({ type: 'social-link', id });
    expect(event.body.included.some((r: Resource) => r.type === 'social-link' && r.id === id)).toBe(true);
  });

  it('refuses a link that is not a URL and writers outside the team', async () => {
    const body = socialLinkBody(ev.id);
    (body.data.attributes as Record<string, unknown>).link = 'facebook';
    expect([400, 422]).toContain((await post('/v1/social-links', body, owner.token)).status);
    expect((await post('/v1/social-links', socialLinkBody(ev.id), stranger.token)).status).toBe(403);
  });
});

describe('event copyright', () => {
  it('answers {"data": null} while the event has none, to anyone who may read it', async () => {
    const event = await createPublishedEvent(t, owner.token);
    const response = await get(`/v1/events/${event.id}/event-copyright`);
    expect(response.status).toBe(200);
    expect(response.body.data).toBeNull();
  });

  it('takes the Blueprint body, answers it at the event’s event-copyright, and refuses a second one (422, as OES)', async () => {
    const event = await createPublishedEvent(t, owner.token);
    const created = await post('/v1/event-copyrights', copyrightBody(event.id), owner.token);
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(created.body.data.attributes).toEqual({
      holder: 'Name of Holder',
      'holder-url': 'http://holder-url.com',
      licence: 'Licence text',
      'licence-url': 'http://licence-url.com',
      year: 2007,
      'logo-url': 'http://logo-url.com',
      'deleted-at': null,
    });
    for (const key of [event.id, event.attributes.identifier]) {
      const read = await get(`/v1/events/${key}/event-copyright`, stranger.token);
      expect(read.status).toBe(200);
      expect(read.body.data).toMatchObject({ type: 'event-copyright', id, attributes: { licence: 'Licence text' } });
    }
    const second = await post('/v1/event-copyrights', copyrightBody(event.id), owner.token);
    expect(second.status).toBe(422);
    expect(second.body.errors[0].detail).toMatch(/already exists/);
    // Deleted, the event has none again, and a new one may be made.
    expectStatus(await t.request({ method: 'DELETE', url: `/v1/event-copyrights/${id}`, token: owner.token }), 200, 'delete');
    expect((await get(`/v1/events/${event.id}/event-copyright`)).body.data).toBeNull();
    expect((await post('/v1/event-copyrights', copyrightBody(event.id), owner.token)).status).toBe(201);
  });

  it('requires a licence, a year from 1900 to now, and a manager', async () => {
    const event = await createPublishedEvent(t, owner.token);
    expect((await post('/v1/event-copyrights', copyrightBody(event.id, { licence: undefined }), owner.token)).status).toBe(422);
    const future = await post('/v1/event-copyrights', copyrightBody(event.id, { year: new Date().getUTCFullYear() + 1 }), owner.token);
    expect(future.status).toBe(422);
    expect(future.body.errors[0].source).toEqual({ pointer: '/data/attributes/year' });
    expect((await post('/v1/event-copyrights', copyrightBody(event.id), stranger.token)).status).toBe(403);
  });
});

describe('tax', () => {
  it('answers {"data": null} while the event has none, also to strangers (the public ticket list asks)', async () => {
    const response = await get(`/v1/events/${ev.id}/tax`);
    expect(response.status).toBe(200);
    expect(response.body.data).toBeNull();
  });

  it('takes the Blueprint body from the owner; the team reads all of it, strangers only name, rate and inclusion', async () => {
    const created = await post('/v1/taxes', taxBody(ev.id), owner.token);
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    const full = {
      name: 'Service Tax',
      rate: 1.23456789,
      'is-tax-included-in-price': false,
      country: 'IN',
      'tax-id': '123456789',
      'should-send-invoice': false,
      'is-invoice-sent': false,
      'registered-company': 'fossasia',
      'contact-name': null,
      phone: null,
      email: null,
      address: 'example',
      city: 'example',
      state: 'example',
      zip: '123456',
      'invoice-footer': 'example',
      'deleted-at': null,
    };
    expect(created.body.data).toMatchObject({ type: 'tax', id, attributes: full, links: { self: `/v1/taxes/${id}` } });
    const asTeam = await get(`/v1/events/${ev.id}/tax`, coorganizer.token);
    expect(asTeam.body.data.attributes).toEqual(full);
    for (const token of [stranger.token, undefined]) {
      const asStranger = await get(`/v1/events/${ev.id}/tax`, token);
      expect(asStranger.status).toBe(200);
      expect(asStranger.body.data.attributes).toEqual({ name: 'Service Tax', rate: 1.23456789, 'is-tax-included-in-price': false, 'deleted-at': null });
      expect((await get(`/v1/taxes/${id}`, token)).body.data.attributes).not.toHaveProperty('tax-id');
    }
    expect((await post('/v1/taxes', taxBody(ev.id), owner.token)).status).toBe(409);
    const change = { data: { type: 'tax', id, attributes: { rate: 7, 'is-tax-included-in-price': true } } };
    expect((await t.request({ method: 'PATCH', url: `/v1/taxes/${id}`, token: stranger.token, json: change })).status).toBe(403);
    expect((await t.request({ method: 'PATCH', url: `/v1/taxes/${id}`, token: moderator.token, json: change })).status).toBe(403);
    const changed = await t.request({ method: 'PATCH', url: `/v1/taxes/${id}`, token: owner.token, json: change });
    expect(changed.body.data.attributes).toMatchObject({ rate: 7, 'is-tax-included-in-price': true, 'tax-id': '123456789' });
  });

  it('refuses a tax for an event without tax, a rate over 100, and strangers', async () => {
    const noTax = await createPublishedEvent(t, owner.token);
    const refused = await post('/v1/taxes', taxBody(noTax.id), owner.token);
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].detail).toBe('Tax is disabled for this Event');
    const withTax = await createPublishedEvent(t, owner.token, { 'is-tax-enabled': true });
    const high = taxBody(withTax.id);
    high.data.attributes.rate = '101';
    expect((await post('/v1/taxes', high, owner.token)).status).toBe(422);
    expect((await post('/v1/taxes', taxBody(withTax.id), stranger.token)).status).toBe(403);
  });
});

describe('the web client’s bodies', () => {
  // ember-data sends every attribute of the model (unset ones as null) and names the event by identifier.
  it('takes a sponsor, social link, copyright and tax as OES’s web client sends them', async () => {
    const event = await createPublishedEvent(t, owner.token, { 'is-sponsors-enabled': true, 'is-tax-enabled': true });
    const byIdentifier = { event: { data: { type: 'event', id: event.attributes.identifier } } };
    const send = (path: string, type: string, attributes: Record<string, unknown>) =>
      post(path, { data: { type, attributes, relationships: byIdentifier } }, owner.token);
    const sponsor = await send('/v1/sponsors', 'sponsor', { name: 'Acme', level: null, type: null, url: null, description: null, 'logo-url': null });
    expect(sponsor.status, sponsor.text).toBe(201);
    expect(sponsor.body.data.attributes).toMatchObject({ name: 'Acme', level: null, url: null });
    const link = await send('/v1/social-links', 'social-link', { name: 'twitter', link: 'https://twitter.com/acme', identifier: 'twitter-id' });
    expect(link.status, link.text).toBe(201);
    const copyright = await send('/v1/event-copyrights', 'event-copyright', {
      holder: null, 'holder-url': null, licence: 'All rights reserved', 'licence-url': null, year: null, 'logo-url': null,
    });
    expect(copyright.status, copyright.text).toBe(201);
    const tax = await send('/v1/taxes', 'tax', {
      name: 'VAT', 'tax-id': null, rate: 19, 'should-send-invoice': null, country: null, 'registered-company': null, 'contact-name': null,
      email: null, phone: null, address: null, city: null, state: null, zip: null, 'invoice-footer': null, 'is-invoice-sent': false,
      'is-tax-included-in-price': true,
    });
    expect(tax.status, tax.text).toBe(201);
    expect(tax.body.data.attributes).toMatchObject({ name: 'VAT', rate: 19, 'tax-id': '', 'should-send-invoice': false, 'is-tax-included-in-price': true });
    // Saved again as the wizard does: the same bodies with the ids, by PATCH.
    const again = await t.request({
      method: 'PATCH',
      url: `/v1/event-copyrights/${copyright.body.data.id}`,
      token: owner.token,
      json: { data: { type: 'event-copyright', id: copyright.body.data.id, attributes: { ...copyright.body.data.attributes, year: '2020' }, relationships: byIdentifier } },
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body.data.attributes.year).toBe(2020);
    const event2 = await get(`/v1/events/${event.attributes.identifier}?include=sponsors,social-links,event-copyright,tax`, stranger.token);
    expect(event2.body.included.map((r: Resource) => r.type).sort()).toEqual(['event-copyright', 'social-link', 'sponsor', 'tax']);
  });
});

describe('general statistics', () => {
  it('counts the event’s sessions by state, speakers and sponsors from its data, for its managers', async () => {
    const event = await createPublishedEvent(t, owner.token, { 'is-sponsors-enabled': true });
    await grantRole(t, owner.token, event, coorganizer.id, 'coorganizer');
    const [ada, grace, idle] = await Promise.all([createSpeaker(t, owner.token, event), createSpeaker(t, owner.token, event), createSpeaker(t, owner.token, event)]);
    await createSession(t, owner.token, event, { state: 'accepted' }, { speakers: [ada!] });
    await createSession(t, owner.token, event, { state: 'accepted' }, { speakers: [ada!, grace!] });
    await createSession(t, owner.token, event, { state: 'pending' }, { speakers: [grace!] });
    const gone = await createSession(t, owner.token, event, { state: 'confirmed' }, { speakers: [idle!] });
    expectStatus(await t.request({ method: 'DELETE', url: `/v1/sessions/${gone.id}`, token: owner.token }), 200, 'delete session');
    await createSession(t, owner.token, event, { state: 'draft' });
    expectStatus(await post('/v1/sponsors', sponsorBody(event.id), owner.token), 201, 'sponsor');

    const response = await get(`/v1/events/${event.attributes.identifier}/general-statistics?page[size]=0`, coorganizer.token);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      type: 'event-statistics-general',
      id: event.id,
      attributes: {
        identifier: event.attributes.identifier,
        'sessions-draft': 1,
        'sessions-submitted': 4,
        'sessions-accepted': 2,
        'sessions-confirmed': 0,
        'sessions-pending': 1,
        'sessions-rejected': 0,
        'sessions-withdrawn': 0,
        'sessions-canceled': 0,
        speakers: { accepted: 2, confirmed: 0, pending: 1, rejected: 0, withdrawn: 0, canceled: 0, total: 2 },
        sessions: 4,
        sponsors: 1,
        'speaker-without-session': 1,
      },
      links: { self: `/v1/events/${event.id}/general-statistics` },
    });
    const included = await get(`/v1/events/${event.id}?include=general-statistics`, owner.token);
    expect(included.body.data.relationships['general-statistics'].data).toEqual({ type: 'event-statistics-general', id: event.id });
    expect(included.body.included[0].attributes.sessions).toBe(4);
  });

  it('is not for strangers (403), the anonymous (401) or anyone on events they cannot see (404)', async () => {
    expect((await get(`/v1/events/${ev.id}/general-statistics`, stranger.token)).status).toBe(403);
    expect((await get(`/v1/events/${ev.id}/general-statistics`, moderator.token)).status).toBe(403);
    expect((await get(`/v1/events/${ev.id}/general-statistics`)).status).toBe(401);
    const draft = await createEvent(t, owner.token);
    expect((await get(`/v1/events/${draft.id}/general-statistics`, stranger.token)).status).toBe(404);
    const included = await get(`/v1/events/${ev.id}?include=general-statistics`, stranger.token);
    expect(included.body.data.relationships['general-statistics'].data).toBeNull();
    expect(included.body.included ?? []).toEqual([]);
  });
});

describe('the event’s to-one related routes', () => {
  it('answers the event type, topic and sub-topic it has, and data null where it has none', async () => {
    const admin = await quickUser(t, { admin: true });
    const type = expectStatus(await post('/v1/event-types', { data: { type: 'event-type', attributes: { name: 'Conference' } } }, admin.token), 201, 'type').body.data;
    const event = await createPublishedEvent(t, owner.token);
    await patch(t, owner.token, '/v1/events', 'event', event.id, {}, { 'event-type': { data: { type: 'event-type', id: type.id } } });
    const withType = await get(`/v1/events/${event.id}/event-type`);
    expect(withType.status).toBe(200);
    expect(withType.body.data).toMatchObject({ type: 'event-type', id: type.id, attributes: { name: 'Conference' } });
    // (An event without a call for speakers answers 404, as OES: its wizard creates the call when that read
    // fails — test/http/call-for-speakers.test.ts.)
    for (const name of ['event-topic', 'event-sub-topic', 'stripe-authorization']) {
      const response = await get(`/v1/events/${event.id}/${name}?page[size]=0`);
      expect(response.status, name).toBe(200);
      expect(response.body.data, name).toBeNull();
    }
    const draft = await createEvent(t, owner.token);
    for (const name of ['event-type', 'stripe-authorization', 'speakers-call', 'tax', 'event-copyright']) {
      expect((await get(`/v1/events/${draft.id}/${name}`, stranger.token)).status, name).toBe(404);
    }
  });

  it('links every new relationship of the event as OES does', async () => {
    const response = await get(`/v1/events/${ev.id}`);
    for (const name of ['sponsors', 'social-links', 'event-copyright', 'tax', 'general-statistics', 'stripe-authorization']) {
      expect(response.body.data.relationships[name], name).toEqual({
        links: { self: `/v1/events/${ev.id}/relationships/${name}`, related: `/v1/events/${ev.id}/${name}` },
      });
    }
    const linkage = await get(`/v1/events/${ev.id}/relationships/sponsors`);
    expect(linkage.status).toBe(200);
    expect(Array.isArray(linkage.body.data)).toBe(true);
  });
});

describe('roles included with invitations and team roles', () => {
  it('lists /v1/roles and includes the role with role invites and users-events-roles (with their users)', async () => {
    const roles = await get('/v1/roles');
    expect(roles.status).toBe(200);
    const byName = Object.fromEntries(roles.body.data.map((role: Resource) => [role.attributes.name, role]));
    expect(byName.coorganizer).toMatchObject({ type: 'role', attributes: { 'title-name': 'Co-Organizer' } });
    expect((await get(`/v1/roles/${byName.owner.id}`)).body.data.attributes.name).toBe('owner');
    expect((await get('/v1/roles/999')).status).toBe(404);

    const invitee = await quickUser(t);
    expectStatus(await post('/v1/role-invites', inviteBody(ev, invitee.email, 'registrar'), owner.token), 201, 'invite');
    const invites = await get(`/v1/events/${ev.id}/role-invites?include=role`, owner.token);
    expect(invites.status).toBe(200);
    const invite = invites.body.data.find((item: Resource) => item.attributes.email === invitee.email);
    expect(invite.relationships.role.data).toEqual({ type: 'role', id: byName.registrar.id });
    expect(invites.body.included).toContainEqual(byName.registrar);

    const team = await get(`/v1/events/${ev.id}/users-events-roles?include=user,role`, owner.token);
    expect(team.status).toBe(200);
    const mine = team.body.data.find((role: Resource) => role.relationships!.user!.data.id === String(coorganizer.id));
    expect(mine.relationships.role.data).toEqual({ type: 'role', id: byName.coorganizer.id });
    expect(team.body.included).toContainEqual(byName.coorganizer);
    expect(team.body.included.find((r: Resource) => r.type === 'user' && r.id === String(coorganizer.id)).attributes.email).toBe(coorganizer.email);

    const withRoles = await get(`/v1/events/${ev.id}?include=roles.role,roles.user,general-statistics`, owner.token);
    expect(withRoles.status).toBe(200);
    expect(withRoles.body.included).toContainEqual(byName.owner);
    expect((await get(`/v1/events/${ev.id}/role-invites?include=hash`, owner.token)).status).toBe(400);
  });

  it('answers the links a role and an invitation carry, to those who may see them', async () => {
    const team = await get(`/v1/events/${ev.id}/users-events-roles?filter=${encodeURIComponent(JSON.stringify([{ name: 'role-name', op: 'eq', val: 'coorganizer' }]))}`, owner.token);
    const role = team.body.data[0];
    for (const name of ['user', 'event', 'role']) {
      const { related, self } = role.relationships[name].links;
      const relatedAnswer = await get(related, coorganizer.token);
      expect(relatedAnswer.status, related).toBe(200);
      expect(relatedAnswer.body.data.type).toBe(name === 'role' ? 'role' : name);
      const linkage = await get(self, coorganizer.token);
      expect(linkage.status, self).toBe(200);
      // The event is given by link only (OES's client keys events by identifier); its endpoint answers the linkage.
      expect(linkage.body.data).toEqual(name === 'event' ? { type: 'event', id: ev.id } : role.relationships[name].data);
      expect((await get(related, stranger.token)).status).toBe(403);
    }
    const invites = await get(`/v1/events/${ev.id}/role-invites`, owner.token);
    const invite = invites.body.data[0];
    const offered = await get(invite.relationships.role.links.related, owner.token);
    expect(offered.body.data).toMatchObject({ type: 'role', attributes: { name: invite.attributes['role-name'] } });
    expect((await get(invite.relationships.role.links.self, owner.token)).body.data).toEqual(invite.relationships.role.data);
    expect((await get(invite.relationships.role.links.related, stranger.token)).status).toBe(403);
  });
});
