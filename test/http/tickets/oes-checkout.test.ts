// Checkout as OES's web client does it (issue 14): tickets, attendees and orders take every attribute its
// models send, in the forms OES takes them ("true", "100", null for unset), store them and give them back;
// an order starts initializing — free ones too — and its buyer finishes it on the order page after the
// attendee form (PATCH attendees, then PATCH the order: completed when free, pending with a payment mode the
// event offers when paid); unfinished orders expire and give their tickets back. Bodies are OES's Blueprint
// examples and the requests its client makes (app/routes/orders/new.js, controllers/orders/new.js).
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createPublishedEvent, expectStatus, get, quickUser, type Resource, type User } from '../../support/schedule.ts';
import { createTicket, detail, offerPayments, patchOrder, pointer, postOesOrder, ticketAsTeam } from '../../support/tickets.ts';
import { expireOrders } from '../../../src/domain/orders.ts';

let t: TestApp;
let owner: User;
let buyer: User;
let ev: Resource;

beforeAll(async () => {
  t = await startTestApp();
  [owner, buyer] = await Promise.all([quickUser(t), quickUser(t)]);
  ev = await createPublishedEvent(t, owner.token, { 'payment-currency': 'EUR', 'order-expiry-time': 20 });
});

/** The create-order answer's order, as OES's client reads it (`order.data.attributes.identifier`). */
async function placeOesOrder(token: string, lines: { ticket: Resource; quantity: number; price?: number }[]): Promise<Resource> {
  const response = await postOesOrder(t, token, lines);
  return expectStatus(response, 201, 'create-order').body.data;
}

/** An attendee as OES's client saves it from the attendee form: every attribute of its model, unset ones null. */
function attendeeFormBody(attendee: Resource, order: Resource, attributes: Record<string, unknown>) {
  const empty = Object.fromEntries(
    [
      'city', 'checkin-times', 'checkout-times', 'state', 'address', 'pdf-url', 'country', 'job-title', 'phone', 'company',
      'tax-business-info', 'billing-address', 'home-address', 'shipping-address', 'work-address', 'work-phone', 'website',
      'blog', 'twitter', 'facebook', 'github', 'instagram', 'linkedin', 'gender', 'age-group', 'birth-date',
      'native-language', 'fluent-language', 'home-wiki', 'wiki-scholarship', 'tag-id', 'complex-field-values',
    ].map((name) => [name, null]),
  );
  return {
    data: {
      id: attendee.id,
      type: 'attendee',
      attributes: {
        ...empty,
        'same-as-buyer': true,
        'is-checked-in': false,
        'accept-receive-emails': true,
        'accept-video-recording': true,
        'accept-share-details': true,
        'is-consent-of-refund-policy': false,
        'is-consent-form-field': false,
        'is-consent-form-field-photo': false,
        'is-consent-form-field-email': false,
        ...attributes,
      },
      relationships: {
        event: { data: { type: 'event', id: ev.attributes.identifier } },
        order: { data: { type: 'order', id: order.id } },
        ticket: { data: { type: 'ticket', id: attendee.relationships!.ticket!.data.id } },
        user: { data: null },
      },
    },
  };
}

/** The order as OES's client saves it from the order page: every attribute of its model, keyed by identifier. */
function orderFormBody(order: Resource, attributes: Record<string, unknown>) {
  const a = order.attributes;
  return {
    data: {
      id: a.identifier,
      type: 'order',
      attributes: {
        amount: a.amount,
        company: null,
        'tax-business-info': null,
        address: null,
        city: null,
        state: null,
        country: null,
        zipcode: null,
        'payment-mode': 'free',
        status: 'initializing',
        'exp-month': null,
        'exp-year': null,
        brand: null,
        last4: null,
        'paid-via': null,
        'is-billing-enabled': false,
        'tickets-pdf-url': null,
        ...attributes,
      },
      relationships: {
        user: { data: { type: 'user', id: String(buyer.id) } },
        event: { data: { type: 'event', id: ev.attributes.identifier } },
        'discount-code': { data: null },
        'access-code': { data: null },
        attendees: { data: order.relationships!.attendees!.data },
      },
    },
  };
}

const patchAs = (token: string, url: string, json: unknown) => t.request({ method: 'PATCH', url, token, json });

describe('tickets with OES’s attributes', () => {
  it('takes OES’s Blueprint body (values as text) with form-id, badge-id and a registration type, and gives them back', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/tickets',
      token: owner.token,
      json: {
        data: {
          relationships: { event: { data: { type: 'event', id: ev.id } } },
          attributes: {
            name: 'ticket-name',
            description: 'some description',
            // The Blueprint's "VIP-ticket" is not one of the types OES's client writes, which openevent keeps to.
            type: 'paidRegistration',
            price: '100.00',
            quantity: '100',
            'is-description-visible': 'false',
            'is-checkin-restricted': 'true',
            'auto-checkin-enabled': 'false',
            position: '1',
            'is-fee-absorbed': 'false',
            'sales-starts-at': '2017-06-01T01:24:47.500127+00:00',
            'sales-ends-at': '2037-06-30T00:24:47.500127+00:00',
            'is-hidden': 'false',
            'min-order': '1',
            'max-order': '100',
            'form-id': 'f1b2c3',
            'badge-id': 'b4d5e6',
          },
          type: 'ticket',
        },
      },
    });
    expect(response.status, response.text).toBe(201);
    expect(response.body.data.attributes).toMatchObject({
      name: 'ticket-name',
      type: 'paidRegistration',
      price: 100,
      quantity: 100,
      'is-description-visible': false,
      'is-checkin-restricted': true,
      position: 1,
      'max-order': 100,
      'form-id': 'f1b2c3',
      'badge-id': 'b4d5e6',
    });
    // OES's client saves the wizard's tickets back with every attribute, `position: null` among them: kept as it was.
    const id = response.body.data.id;
    const saved = await patchAs(owner.token, `/v1/tickets/${id}`, {
      data: { type: 'ticket', id, attributes: { ...response.body.data.attributes, position: null, 'form-id': '', quantity: '120' } },
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.data.attributes).toMatchObject({ position: 1, 'form-id': '', 'badge-id': 'b4d5e6', quantity: 120 });
  });

  it('prices each registration type as its plain type', async () => {
    const refused = await t.request({
      method: 'POST',
      url: '/v1/tickets',
      token: owner.token,
      json: { data: { type: 'ticket', attributes: { name: 'Gratis', type: 'freeRegistration', price: 5, quantity: 10 }, relationships: { event: { data: { type: 'event', id: ev.id } } } } },
    });
    expect(refused.status).toBe(422);
    expect(pointer(refused)).toBe('/data/attributes/price');
    const donation = await createTicket(t, owner.token, ev, { type: 'donationRegistration', 'min-price': 2, 'max-price': 50, quantity: 10 });
    const order = await placeOesOrder(buyer.token, [{ ticket: donation, quantity: 2, price: 7.5 }]);
    expect(order.attributes).toMatchObject({ amount: 15, status: 'initializing' });
  });
});

describe('a free order, as OES’s client places and completes it', () => {
  let ticket: Resource;
  let order: Resource;

  beforeAll(async () => {
    ticket = await createTicket(t, owner.token, ev, { name: 'Community', type: 'free', quantity: 10 });
  });

  it('create-order with the client’s body starts it initializing, holding its ticket', async () => {
    order = await placeOesOrder(buyer.token, [{ ticket, quantity: 1 }]);
    expect(order.attributes).toMatchObject({
      status: 'initializing',
      amount: 0,
      'is-billing-enabled': false,
      'tickets-pdf-url': null,
      'completed-at': null,
      'transaction-id': null,
    });
    expect(Date.parse(order.attributes['expires-at']) - Date.parse(order.attributes['created-at'])).toBe(20 * 60_000);
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count']).toBe(1);
    // The order page: the order with its attendees and event, the event, its tickets, and each ticket's attendees of this order.
    const page = await get(t, `/v1/orders/${order.attributes.identifier}?include=attendees,event`, buyer.token);
    expect(page.status, page.text).toBe(200);
    expect(page.body.included.map((r: Resource) => r.type).sort()).toEqual(['attendee', 'event']);
    const filter = encodeURIComponent(JSON.stringify([{ name: 'order', op: 'has', val: { name: 'id', op: 'eq', val: Number(order.id) } }]));
    const holders = await get(t, `/v1/tickets/${ticket.id}/attendees?filter=${filter}`, buyer.token);
    expect(holders.body.data).toHaveLength(1);
  });

  it('the order pages find the attendees through links, as OES gives them: no numeric order or event linkage', async () => {
    // OES's client keys orders and events by identifier: `{"type":"order","id":"5"}` on an attendee ties it to a
    // second, empty order, and the order page then lists no attendees and no tickets.
    const page = await get(t, `/v1/orders/${order.attributes.identifier}?include=attendees,tickets,event`, buyer.token);
    expect(page.body.data.relationships.event.data).toEqual({ type: 'event', id: ev.id });
    const attendee = page.body.included.find((r: Resource) => r.type === 'attendee');
    expect(attendee.relationships.order).toEqual({ links: { related: `/v1/attendees/${attendee.id}/order` } });
    expect(attendee.relationships.event).toEqual({ links: { related: `/v1/attendees/${attendee.id}/event` } });
    expect(attendee.relationships.ticket.data).toEqual({ type: 'ticket', id: ticket.id });
    const plain = await get(t, `/v1/orders/${order.attributes.identifier}`, buyer.token);
    expect(plain.body.data.relationships.event).toEqual({ links: { related: `/v1/events/${ev.id}` } });
    // The links answer: the order, the event and the ticket of the attendee.
    const ofOrder = await get(t, `/v1/attendees/${attendee.id}/order`, buyer.token);
    expect(ofOrder.status, ofOrder.text).toBe(200);
    expect(ofOrder.body.data).toMatchObject({ type: 'order', id: order.id, attributes: { identifier: order.attributes.identifier } });
    const ofEvent = await get(t, `/v1/attendees/${attendee.id}/event`, buyer.token);
    expect(ofEvent.body.data).toMatchObject({ type: 'event', id: ev.id, attributes: { identifier: ev.attributes.identifier } });
    const ofTicket = await get(t, `/v1/attendees/${attendee.id}/ticket`, buyer.token);
    expect(ofTicket.body.data).toMatchObject({ type: 'ticket', id: ticket.id, attributes: { name: 'Community' } });
    // Nobody else learns of the attendee through them.
    const stranger = await quickUser(t);
    for (const name of ['order', 'event', 'ticket']) expect((await get(t, `/v1/attendees/${attendee.id}/${name}`, stranger.token)).status, name).toBe(404);
    // The order page reads the event's custom forms with page[size]=700 (orders/view.js): one page, all of them.
    const forms = await get(t, `/v1/events/${ev.id}/custom-forms?page[size]=700&sort=id`, buyer.token);
    expect(forms.status, forms.text).toBe(200);
    expect(forms.body.data.filter((f: Resource) => f.attributes.form === 'attendee').map((f: Resource) => f.attributes['field-identifier'])).toEqual(['firstname', 'lastname', 'email']);
    expect((await get(t, `/v1/events/${ev.id}/custom-forms?page[size]=1001`, buyer.token)).status).toBe(422);
  });

  it('the attendee form stores every profile and consent field OES has, in OES’s forms, and gives them back', async () => {
    const attendee = (await get(t, `/v1/orders/${order.attributes.identifier}/attendees`, buyer.token)).body.data[0];
    const response = await patchAs(
      buyer.token,
      `/v1/attendees/${attendee.id}`,
      attendeeFormBody(attendee, order, {
        firstname: 'Ada',
        lastname: 'Lovelace',
        email: 'ada@example.org',
        'job-title': 'Analyst',
        phone: '+44 20 7946 0000',
        company: 'Analytical Engines',
        'tax-business-info': 'GB123',
        'billing-address': '1 Engine Row',
        'home-address': '12 St James’s Square',
        'shipping-address': '1 Engine Row',
        'work-address': '2 Engine Row',
        'work-phone': '+44 20 7946 0001',
        website: 'https://ada.example.org',
        blog: 'https://ada.example.org/blog',
        twitter: 'https://twitter.com/ada',
        facebook: 'https://facebook.com/ada',
        github: 'https://github.com/ada',
        instagram: 'https://instagram.com/ada',
        linkedin: 'https://linkedin.com/in/ada',
        gender: 'female',
        'age-group': '25-34',
        'birth-date': '1815-12-10T00:00:00.000Z',
        'native-language': 'English',
        'fluent-language': 'French',
        'home-wiki': 'enwiki',
        'wiki-scholarship': 'none',
        'accept-video-recording': 'false',
        'accept-share-details': 'true',
        'accept-receive-emails': false,
        'is-consent-of-refund-policy': 'true',
        'is-consent-form-field': true,
        'is-consent-form-field-photo': 'false',
        'is-consent-form-field-email': true,
        'complex-field-values': { diet: 'vegan', 'needs-badge': true },
        city: 'London',
        country: 'GB',
      }),
    );
    expect(response.status, response.text).toBe(200);
    const expected = {
      firstname: 'Ada',
      'job-title': 'Analyst',
      'work-phone': '+44 20 7946 0001',
      linkedin: 'https://linkedin.com/in/ada',
      'age-group': '25-34',
      'birth-date': '1815-12-10T00:00:00Z',
      'accept-video-recording': false,
      'accept-share-details': true,
      'accept-receive-emails': false,
      'is-consent-of-refund-policy': true,
      'is-consent-form-field-photo': false,
      'is-consent-form-field-email': true,
      'complex-field-values': { diet: 'vegan', 'needs-badge': true },
      'wiki-scholarship': 'none',
      city: 'London',
      'pdf-url': null,
    };
    expect(response.body.data.attributes).toMatchObject(expected);
    expect((await get(t, `/v1/attendees/${attendee.id}`, owner.token)).body.data.attributes).toMatchObject(expected);
    // OES's choices: an age group it does not list, or a link that is not one, is refused at the attribute.
    for (const [name, value] of [['age-group', '30ish'], ['website', 'not a url']] as const) {
      const bad = await patchAs(buyer.token, `/v1/attendees/${attendee.id}`, { data: { type: 'attendee', id: attendee.id, attributes: { [name]: value } } });
      expect(bad.status, name).toBe(422);
      expect(pointer(bad), name).toBe(`/data/attributes/${name}`);
    }
  });

  it('then the order: completed, as the client sends it, and in the buyer’s list; the ticket stays sold once', async () => {
    const response = await patchAs(buyer.token, `/v1/orders/${order.attributes.identifier}`, orderFormBody(order, { status: 'completed' }));
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.attributes).toMatchObject({ status: 'completed', 'payment-mode': 'free', 'expires-at': null, 'completed-at': expect.any(String) });
    const mine = await get(t, '/v1/users/me/orders?page[size]=100', buyer.token);
    expect(mine.body.data.find((o: Resource) => o.id === order.id).attributes.status).toBe('completed');
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count']).toBe(1);
    expect((await t.request({ method: 'POST', url: `/v1/orders/${order.attributes.identifier}/verify`, token: buyer.token })).body).toEqual({ payment_status: 'completed' });
    // Completed, its billing details are no longer the buyer's to change.
    const late = await patchOrder(t, buyer.token, response.body.data, { company: 'Someone else' });
    expect(late.status).toBe(403);
    expect(pointer(late)).toBe('/data/attributes/company');
  });

  it('the organizer checks the attendee in with OES’s Blueprint body (values as text, read-only ones ignored)', async () => {
    const attendee = (await get(t, `/v1/orders/${order.attributes.identifier}/attendees`, owner.token)).body.data[0];
    const response = await patchAs(owner.token, `/v1/attendees/${attendee.id}`, {
      data: {
        attributes: {
          firstname: 'John',
          lastname: 'Doe',
          email: 'johndoe@example.com',
          address: 'address',
          city: 'example',
          state: 'example',
          country: 'IN',
          'is-checked-in': 'true',
          'checkin-times': '2017-12-13T22:59:59.123456+00:00',
          'attendee-notes': 'example',
          'pdf-url': 'http://example.com',
        },
        type: 'attendee',
        id: attendee.id,
      },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.attributes).toMatchObject({ firstname: 'John', 'is-checked-in': true, 'pdf-url': null, country: 'IN' });
    expect(response.body.data.attributes['checkin-times']).not.toContain('2017');
  });
});

describe('a paid order goes for payment with a mode the event offers', () => {
  let ticket: Resource;

  beforeAll(async () => {
    ticket = await createTicket(t, owner.token, ev, { name: 'Standard', type: 'paid', price: 25, quantity: 10 });
    await offerPayments(t, ev, ['bank', 'onsite']);
  });

  it('pending with an offered mode and complete billing details; the organizer then marks it paid', async () => {
    const order = await placeOesOrder(buyer.token, [{ ticket, quantity: 2 }]);
    expect(order.attributes).toMatchObject({ status: 'initializing', amount: 50, 'payment-mode': null });
    const url = `/v1/orders/${order.attributes.identifier}`;

    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{ status: 'pending', 'payment-mode': 'cheque' }, 'payment-mode', /"cheque" is not a payment mode this event offers: choose one of bank, onsite/],
      [{ status: 'pending', 'payment-mode': 'free' }, 'payment-mode', /cannot be free/],
      [{ status: 'pending', 'payment-mode': 'bank', 'is-billing-enabled': true, company: 'ACME' }, 'is-billing-enabled', /Billing information incomplete: give "address", "city", "zipcode", "country"/],
    ];
    for (const [attributes, at, message] of refusals) {
      const response = await patchAs(buyer.token, url, orderFormBody(order, attributes));
      expect(response.status, JSON.stringify(attributes)).toBe(422);
      expect(pointer(response)).toBe(`/data/attributes/${at}`);
      expect(detail(response)).toMatch(message);
    }
    // The buyer cannot declare a paid order completed.
    expect((await patchAs(buyer.token, url, orderFormBody(order, { status: 'completed', 'payment-mode': 'bank' }))).status).toBe(403);
    expect((await get(t, url, buyer.token)).body.data.attributes.status).toBe('initializing');

    const billing = { company: 'ACME', address: '1 Main St', city: 'Ghent', zipcode: '9000', country: 'BE', 'tax-business-info': 'BE0123', state: null };
    const sent = await patchAs(buyer.token, url, orderFormBody(order, { status: 'pending', 'payment-mode': 'bank', 'is-billing-enabled': 'true', ...billing }));
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body.data.attributes).toMatchObject({ status: 'pending', 'payment-mode': 'bank', 'is-billing-enabled': true, ...billing });
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count']).toBe(2);

    const paid = await patchOrder(t, owner.token, sent.body.data, { status: 'completed', 'paid-via': 'bank' });
    expect(paid.status, paid.text).toBe(200);
    expect(paid.body.data.attributes).toMatchObject({ status: 'completed', company: 'ACME' });
  });

  it('OES’s Blueprint PATCH (payment-mode, order-notes) from an organizer', async () => {
    const order = await placeOesOrder(buyer.token, [{ ticket, quantity: 1 }]);
    const response = await patchAs(owner.token, `/v1/orders/${order.attributes.identifier}`, {
      data: { attributes: { 'payment-mode': 'paypal', 'order-notes': 'example' }, type: 'order', id: order.id },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.attributes).toMatchObject({ 'payment-mode': 'paypal', 'order-notes': 'example', status: 'initializing' });
  });

  it('OES’s Blueprint create-order body: a discount code the event does not have is refused (422 Invalid Discount Code)', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/orders/create-order',
      token: buyer.token,
      json: { tickets: [{ id: Number(ticket.id), quantity: 1 }], discount_code: '1' },
    });
    expect(response.status).toBe(422);
    expect(pointer(response)).toBe('/discount_code');
  });
});

describe('unfinished orders expire and give their tickets back', () => {
  it('an initializing free order expires after the event’s order-expiry-time; sending its form then is too late', async () => {
    const db = t.database.connection.db;
    const ticket = await createTicket(t, owner.token, ev, { name: 'Few', type: 'free', quantity: 2 });
    const order = await placeOesOrder(buyer.token, [{ ticket, quantity: 2 }]);
    const other = await quickUser(t);
    expect((await postOesOrder(t, other.token, [{ ticket, quantity: 1 }])).status).toBe(409);

    const expiresAt = Date.parse(order.attributes['expires-at']);
    await expireOrders(db, new Date(expiresAt - 60_000));
    expect((await get(t, `/v1/orders/${order.id}`, buyer.token)).body.data.attributes.status).toBe('initializing');
    await expireOrders(db, new Date(expiresAt));
    expect((await get(t, `/v1/orders/${order.id}`, buyer.token)).body.data.attributes.status).toBe('expired');
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes).toMatchObject({ 'sold-count': 0, available: 2 });

    const late = await patchAs(buyer.token, `/v1/orders/${order.attributes.identifier}`, orderFormBody(order, { status: 'completed' }));
    expect(late.status).toBe(403);
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count']).toBe(0);
    expect((await postOesOrder(t, other.token, [{ ticket, quantity: 2 }])).status).toBe(201);
  });

  it('a buyer cancels their initializing order: the tickets are back at once', async () => {
    const ticket = await createTicket(t, owner.token, ev, { name: 'Changed my mind', type: 'free', quantity: 1 });
    const order = await placeOesOrder(buyer.token, [{ ticket, quantity: 1 }]);
    const cancelled = await patchOrder(t, buyer.token, order, { status: 'cancelled' });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect((await ticketAsTeam(t, owner.token, ticket)).attributes['sold-count']).toBe(0);
  });
});
