// Custom forms as OES has them (docs/api/blueprint/custom_forms.apib): the fields of an event's
// speaker, session and attendee forms, written by its organizers and read by OES's web client, which
// builds its forms from them; every new event starts with OES's attendee fields.
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createEvent, createPublishedEvent, grantRole, quickUser, type Resource, type User } from '../../support/schedule.ts';

let t: TestApp;
let owner: User;
let organizer: User;
let stranger: User;
let ev: Resource;

beforeAll(async () => {
  t = await startTestApp();
  [owner, organizer, stranger] = await Promise.all([quickUser(t), quickUser(t), quickUser(t)]);
  ev = await createPublishedEvent(t, owner.token);
  await grantRole(t, owner.token, ev, organizer.id, 'organizer');
});

/** The Blueprint's "Create Custom Form" body, for this event. */
const blueprintCreate = (eventId: string) => ({
  data: {
    type: 'custom-form',
    relationships: { event: { data: { type: 'event', id: eventId } } },
    attributes: { form: 'speaker', type: 'text', 'field-identifier': 'name', 'is-required': 'true', 'is-included': 'false', 'is-fixed': 'false' },
  },
});

const list = (eventKey: string, query: string, token: string | undefined = owner.token) =>
  t.request({ method: 'GET', url: `/v1/events/${eventKey}/custom-forms?${query}`, token });

describe('custom forms', () => {
  it('gives every new event the attendee fields first name, last name and e-mail, required and fixed', async () => {
    const fresh = await createEvent(t, owner.token);
    const response = await list(fresh.id, 'page[size]=0&sort=id');
    expect(response.status).toBe(200);
    expect(response.body.data.map((field: any) => [field.attributes['field-identifier'], field.attributes.type, field.attributes.name])).toEqual([
      ['firstname', 'text', 'First Name'],
      ['lastname', 'text', 'Last Name'],
      ['email', 'email', 'Email'],
    ]);
    for (const field of response.body.data) {
      expect(field.attributes).toMatchObject({ form: 'attendee', 'is-required': true, 'is-included': true, 'is-fixed': true, 'is-complex': false });
      // The event is given by links only, as OES does (its web client keys events by identifier).
      expect(field.relationships.event).toEqual({
        links: { self: `/v1/custom-forms/${field.id}/relationships/event`, related: `/v1/custom-forms/${field.id}/event` },
      });
    }
  });

  it('takes the Blueprint create body from an organizer and answers as OES (201, OES names a built-in field)', async () => {
    const created = await t.request({ method: 'POST', url: '/v1/custom-forms', token: organizer.token, json: blueprintCreate(ev.id) });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(created.body.data).toMatchObject({
      type: 'custom-form',
      id,
      attributes: {
        'is-required': true,
        form: 'speaker',
        'field-identifier': 'name',
        'is-included': false,
        'is-fixed': false,
        type: 'text',
        name: 'Name',
        'is-complex': false,
        position: 0,
        min: 0,
        max: 10,
      },
      links: { self: `/v1/custom-forms/${id}` },
    });

    // The Blueprint's update body (no relationships), then its detail read.
    const updated = await t.request({
      method: 'PATCH',
      url: `/v1/custom-forms/${id}`,
      token: owner.token,
      json: { data: { type: 'custom-form', id, attributes: { form: 'speaker', 'field-identifier': 'name', type: 'text', 'is-required': 'false', 'is-included': 'false', 'is-fixed': 'false' } } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data.attributes).toMatchObject({ 'is-required': false, form: 'speaker', 'field-identifier': 'name' });
    const read = await t.request({ method: 'GET', url: `/v1/custom-forms/${id}`, token: owner.token });
    expect(read.body.data.attributes['is-required']).toBe(false);
  });

  it('keeps an organizer’s own field as complex, with the name given', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/custom-forms',
      token: owner.token,
      json: {
        data: {
          type: 'custom-form',
          relationships: { event: { data: { type: 'event', id: ev.id } } },
          // ember-data sends every attribute of its model, unset ones as null.
          attributes: {
            form: 'session', 'field-identifier': 'dietaryNeeds', type: 'paragraph', name: 'Dietary needs', description: 'text',
            'is-required': false, 'is-included': true, 'is-fixed': false, 'is-public': false, 'is-complex': false,
            position: null, 'form-id': '', min: 0, max: 10, 'main-language': 'en-US',
          },
        },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.attributes).toMatchObject({ name: 'Dietary needs', 'is-complex': true, type: 'paragraph', 'main-language': 'en-US' });
  });

  it('lists a form with the client’s filter, `or` of forms, sort=id and page[size]=0 for all', async () => {
    const filter = encodeURIComponent(JSON.stringify([{ or: [{ name: 'form', op: 'eq', val: 'speaker' }, { name: 'form', op: 'eq', val: 'session' }] }]));
    const both = await list(ev.attributes.identifier, `filter=${filter}&sort=id&page[size]=0`);
    expect(both.status).toBe(200);
    expect(both.body.data.map((field: any) => field.attributes['field-identifier'])).toEqual(['name', 'dietaryNeeds']);
    expect(both.body.meta.count).toBe(2);
    const attendee = await list(ev.id, `filter=${encodeURIComponent(JSON.stringify([{ name: 'form', op: 'eq', val: 'attendee' }]))}&page[size]=0`);
    expect(attendee.body.data).toHaveLength(3);
  });

  it('is written by the event’s organizers only, read by signed-in users, and gone once deleted', async () => {
    const refused = await t.request({ method: 'POST', url: '/v1/custom-forms', token: stranger.token, json: blueprintCreate(ev.id) });
    expect(refused.status).toBe(403);
    expect((await t.request({ method: 'GET', url: `/v1/events/${ev.id}/custom-forms` })).status).toBe(401);
    const seen = await list(ev.id, 'page[size]=0', stranger.token);
    expect(seen.status).toBe(200);
    const speakerName = seen.body.data.find((field: any) => field.attributes['field-identifier'] === 'name');
    expect((await t.request({ method: 'DELETE', url: `/v1/custom-forms/${speakerName.id}`, token: stranger.token })).status).toBe(403);
    expect((await t.request({ method: 'DELETE', url: `/v1/custom-forms/${speakerName.id}`, token: organizer.token })).status).toBe(200);
    const after = await list(ev.id, 'page[size]=0');
    expect(after.body.data.map((field: any) => field.id)).not.toContain(speakerName.id);
  });

  it('refuses a second field of the same identifier in a form (409) and an unknown form (422)', async () => {
    // The client's fields carry form-id "" (OES's unique key has form_id in it, so a null one never clashes).
    const again = () => t.request({ method: 'POST', url: '/v1/custom-forms', token: owner.token, json: { data: { ...blueprintCreate(ev.id).data, attributes: { form: 'session', 'field-identifier': 'track', 'form-id': '' } } } });
    expect((await again()).status).toBe(201);
    const clash = await again();
    expect(clash.status).toBe(409);
    expect(clash.body.errors[0].source).toEqual({ pointer: '/data/attributes/field-identifier' });
    const wrong = await t.request({ method: 'POST', url: '/v1/custom-forms', token: owner.token, json: { data: { ...blueprintCreate(ev.id).data, attributes: { form: 'sponsor', 'field-identifier': 'x' } } } });
    expect(wrong.status).toBe(422);
  });

  it('resolves the event’s custom-forms relationship: linkage, include and the related link', async () => {
    const event = await t.request({ method: 'GET', url: `/v1/events/${ev.id}?include=custom-forms`, token: owner.token });
    expect(event.status).toBe(200);
    const ids = event.body.data.relationships['custom-forms'].data.map((item: any) => item.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(event.body.included.filter((item: any) => item.type === 'custom-form').map((item: any) => item.id)).toEqual(ids);
    const linkage = await t.request({ method: 'GET', url: `/v1/events/${ev.id}/relationships/custom-forms`, token: owner.token });
    expect(linkage.body.data).toEqual(ids.map((id: string) => ({ type: 'custom-form', id })));
    const related = await t.request({ method: 'GET', url: event.body.data.relationships['custom-forms'].links.related + '?page[size]=0', token: owner.token });
    expect(related.body.data.map((item: any) => item.id)).toEqual(ids);
  });
});
