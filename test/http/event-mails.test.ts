// The mails of checkout and of the team (issue 14, item 3), delivered over SMTP to a server in this
// process: the buyer's order confirmation when an order completes, each other attendee's tickets then
// (as OES), and the invitation an organizer's invite by email sends. Each link is followed the way OES's web client does: its /orders/{id}/view page
// reads the order by identifier, its /role-invites?token=… page posts the token back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { body, createPublishedEvent, expectStatus, get, inviteBody, quickUser, rel, type Resource, type User } from '../support/schedule.ts';
import { createTicket, offerPayments, patchOrder, postOesOrder, sendOrderForm } from '../support/tickets.ts';
import { linkIn, startInbox, type Inbox } from '../support/smtp.ts';

const FRONTEND = 'https://app.example.org';

let t: TestApp;
let inbox: Inbox;
let owner: User;
let admin: User;
let ev: Resource;

beforeAll(async () => {
  inbox = await startInbox();
  t = await startTestApp({ env: { SMTP_URL: inbox.url } });
  [owner, admin] = await Promise.all([quickUser(t), quickUser(t, { admin: true })]);
  // The links follow the site's frontend-url setting (where OES's web client is served).
  const settings = await t.request({
    method: 'PATCH',
    url: '/v1/settings',
    token: admin.token,
    json: { data: { type: 'setting', id: '1', attributes: { 'frontend-url': FRONTEND, 'app-name': 'Journey Events' } } },
  });
  expect(settings.status, settings.text).toBe(200);
  ev = await createPublishedEvent(t, owner.token, {
    name: 'Mail Conf',
    'payment-currency': 'EUR',
    'starts-at': '2031-03-10T09:00:00+01:00',
    'ends-at': '2031-03-11T18:00:00+01:00',
    timezone: 'Europe/Berlin',
    'location-name': 'Hall 7',
  });
});
afterAll(async () => {
  await t.close();
  await inbox.close();
});

const mailsTo = (email: string) => inbox.received.filter((mail) => mail.to.includes(email));

describe('order confirmation', () => {
  it('mails the buyer when the order form completes a free order: the tickets, the holders, a link to the order page', async () => {
    const buyer = await quickUser(t);
    const ticket = await createTicket(t, owner.token, ev, { name: 'Community pass', type: 'free', quantity: 10 });
    const order = expectStatus(await postOesOrder(t, buyer.token, [{ ticket, quantity: 2 }]), 201, 'create-order').body.data;
    // Initializing: nothing is confirmed yet.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(buyer.email)).toEqual([]);

    await sendOrderForm(t, buyer.token, order);
    const mail = await inbox.waitFor(buyer.email, /Your order for Mail Conf is confirmed/);
    expect(mail.text).toContain('Journey Events');
    expect(mail.text).toContain('2 × Community pass (free)');
    expect(mail.text).toContain('Total: free');
    expect(mail.text).toContain(`${buyer.email}: Community pass`);
    // In the event's own time zone.
    expect(mail.text).toContain('From: Monday, 10 March 2031, 09:00 (Europe/Berlin)');
    expect(mail.text).toContain('Where: Hall 7');
    const link = linkIn(mail, `${FRONTEND}/orders/`);
    expect(link.pathname).toBe(`/orders/${order.attributes.identifier}/view`);
    // The page reads the order by the identifier in its path: the buyer sees it, completed.
    const identifier = link.pathname.split('/')[2]!;
    const page = await get(t, `/v1/orders/${identifier}?include=attendees,tickets,event`, buyer.token);
    expect(page.status, page.text).toBe(200);
    expect(page.body.data.attributes.status).toBe('completed');
    // Once: sending the form again changes nothing and mails nothing.
    expect((await patchOrder(t, buyer.token, order, { status: 'completed' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(buyer.email)).toHaveLength(1);
  });

  it('a paid order: mailed when the organizer marks it paid, not when it goes pending; with prices and how it was paid', async () => {
    const buyer = await quickUser(t);
    await offerPayments(t, ev, ['bank']);
    const ticket = await createTicket(t, owner.token, ev, { name: 'Standard', type: 'paid', price: 12.5, quantity: 10 });
    const order = expectStatus(await postOesOrder(t, buyer.token, [{ ticket, quantity: 2 }]), 201, 'create-order').body.data;
    const pending = await sendOrderForm(t, buyer.token, order, { 'payment-mode': 'bank' });
    expect(pending.attributes.status).toBe('pending');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(buyer.email)).toEqual([]);

    expectStatus(await patchOrder(t, owner.token, order, { status: 'completed', 'paid-via': 'bank' }), 200, 'mark paid');
    const mail = await inbox.waitFor(buyer.email, /Your order for Mail Conf is confirmed/);
    expect(mail.text).toContain('2 × Standard at 12.50 EUR');
    expect(mail.text).toContain('Total: 25.00 EUR, paid via bank');
    expect(linkIn(mail, `${FRONTEND}/orders/`).pathname).toBe(`/orders/${order.attributes.identifier}/view`);
    // Nobody else is mailed the buyer's order.
    expect(mailsTo(owner.email)).toEqual([]);
  });

  it('says the discount and the tax as they were charged, so the total adds up, even after the rate changed', async () => {
    const taxed = await createPublishedEvent(t, owner.token, { name: 'Taxed Conf', 'payment-currency': 'EUR', 'is-tax-enabled': true, 'starts-at': '2031-06-01T08:00:00Z', 'ends-at': '2031-06-02T18:00:00Z' });
    await offerPayments(t, taxed, ['bank']);
    const tax = expectStatus(
      await t.request({ method: 'POST', url: '/v1/taxes', token: owner.token, json: body('tax', { name: 'VAT', rate: 19, 'is-tax-included-in-price': false }, { event: rel('event', taxed.id) }) }),
      201,
      'POST /v1/taxes',
    ).body.data;
    const ticket = await createTicket(t, owner.token, taxed, { name: 'Standard', type: 'paid', price: 100, quantity: 10 });
    const code = expectStatus(
      await t.request({
        method: 'POST',
        url: '/v1/discount-codes',
        token: owner.token,
        json: body('discount-code', { code: 'TENOFF', type: 'percent', value: 10, 'tickets-number': 10, 'max-quantity': 10, 'used-for': 'ticket' }, { event: rel('event', taxed.id), tickets: rel('ticket', [ticket]) }),
      }),
      201,
      'POST /v1/discount-codes',
    ).body.data;
    const buyer = await quickUser(t);
    const order = expectStatus(await postOesOrder(t, buyer.token, [{ ticket, quantity: 2 }], { discount_code: code.id }), 201, 'create-order').body.data;
    // 2 × 100.00 − 10 % = 180.00, and 19 % VAT on it: 34.20; 214.20 in all.
    expect(order.attributes.amount).toBe(214.2);
    await sendOrderForm(t, buyer.token, order, { 'payment-mode': 'bank' });
    // The organizer changes the rate before the payment arrives: the order was charged 19 %.
    expectStatus(await t.request({ method: 'PATCH', url: `/v1/taxes/${tax.id}`, token: owner.token, json: { data: { type: 'tax', id: tax.id, attributes: { rate: 7 } } } }), 200, 'PATCH tax');
    expectStatus(await patchOrder(t, owner.token, order, { status: 'completed', 'paid-via': 'bank' }), 200, 'mark paid');
    const mail = await inbox.waitFor(buyer.email, /Your order for Taxed Conf is confirmed/);
    expect(mail.text).toContain('2 × Standard at 100.00 EUR');
    expect(mail.text).toContain('Discount: -20.00 EUR');
    expect(mail.text).toContain('VAT (19 %): 34.20 EUR');
    expect(mail.text).toContain('Total: 214.20 EUR, paid via bank');
  });

  it('a cancelled order is not confirmed', async () => {
    const buyer = await quickUser(t);
    const ticket = await createTicket(t, owner.token, ev, { name: 'Cancelled pass', type: 'free', quantity: 10 });
    const order = expectStatus(await postOesOrder(t, buyer.token, [{ ticket, quantity: 1 }]), 201, 'create-order').body.data;
    expectStatus(await patchOrder(t, buyer.token, order, { status: 'cancelled' }), 200, 'cancel');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(buyer.email)).toEqual([]);
  });
});

describe('tickets mailed to the attendees', () => {
  /** The order's attendees as the client's attendee form leaves them: each PATCHed with a name and an email. */
  async function fillAttendeeForm(token: string, order: Resource, holders: { firstname: string; lastname: string; email: string }[]) {
    const read = expectStatus(await get(t, `/v1/orders/${order.attributes.identifier}/attendees`, token), 200, 'GET order attendees').body.data;
    expect(read).toHaveLength(holders.length);
    for (const [index, attendee] of read.entries()) {
      const response = await t.request({
        method: 'PATCH',
        url: `/v1/attendees/${attendee.id}`,
        token,
        json: { data: { type: 'attendee', id: attendee.id, attributes: holders[index] } },
      });
      expectStatus(response, 200, 'PATCH attendee');
    }
  }

  it('each other address gets one mail with the tickets held there, once the order completes; the buyer only the confirmation', async () => {
    const buyer = await quickUser(t);
    const pass = await createTicket(t, owner.token, ev, { name: 'Day pass', type: 'free', quantity: 20 });
    const workshop = await createTicket(t, owner.token, ev, { name: 'Workshop', type: 'free', quantity: 20 });
    const order = expectStatus(await postOesOrder(t, buyer.token, [{ ticket: pass, quantity: 3 }, { ticket: workshop, quantity: 2 }]), 201, 'create-order').body.data;
    const stamp = Date.now();
    const ada = `ada-${stamp}@example.org`;
    const grace = `grace-${stamp}@example.org`;
    // Read in attendee id order: the three day passes, then the two workshops.
    await fillAttendeeForm(buyer.token, order, [
      { firstname: 'Ada', lastname: 'Lovelace', email: ada },
      { firstname: 'Grace', lastname: 'Hopper', email: grace },
      // The buyer holds one ticket, their address written in capitals: still the buyer.
      { firstname: 'Me', lastname: 'Myself', email: buyer.email.toUpperCase() },
      // Ada holds two tickets, the second under her address in other case: one mail with both.
      { firstname: 'Ada', lastname: 'L.', email: ada.replace('ada', 'ADA') },
      { firstname: 'Grace', lastname: 'Hopper', email: grace },
    ]);
    // Nothing is mailed while the order is not complete.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(ada)).toEqual([]);

    await sendOrderForm(t, buyer.token, order);
    const confirmation = await inbox.waitFor(buyer.email, /Your order for Mail Conf is confirmed/);
    expect(confirmation.text).toContain(`Ada Lovelace <${ada}>: Day pass`);

    const toAda = await inbox.waitFor(ada, /Your tickets for Mail Conf/);
    expect(toAda.text).toContain('ordered 2 tickets for you on Journey Events');
    expect(toAda.text).toContain('Day pass for Ada Lovelace');
    expect(toAda.text).toContain('Workshop for Ada L.');
    expect(toAda.text).toContain('From: Monday, 10 March 2031, 09:00 (Europe/Berlin)');
    expect(toAda.text).toContain('Where: Hall 7');
    expect(toAda.text).toContain(order.attributes.identifier);
    expect(linkIn(toAda, `${FRONTEND}/e/`).pathname).toBe(`/e/${ev.attributes.identifier}`);
    // The order page is the buyer's: the attendee's mail does not send them there.
    expect(toAda.text).not.toContain('/orders/');
    const toGrace = await inbox.waitFor(grace, /Your tickets for Mail Conf/);
    expect(toGrace.text).toContain('Day pass for Grace Hopper');
    expect(toGrace.text).toContain('Workshop for Grace Hopper');

    // Once per address, and the buyer gets no attendee mail of their own.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const addressed = (email: string) => inbox.received.filter((mail) => mail.to.some((to) => to.toLowerCase() === email.toLowerCase()));
    expect(addressed(ada)).toHaveLength(1);
    expect(addressed(grace)).toHaveLength(1);
    expect(addressed(buyer.email).map((mail) => mail.subject)).toEqual(['Your order for Mail Conf is confirmed']);
  });

  it('a single ticket for someone else reads as one; a paid order mails them when it is marked paid, not before', async () => {
    const buyer = await quickUser(t);
    await offerPayments(t, ev, ['bank']);
    const ticket = await createTicket(t, owner.token, ev, { name: 'Patron', type: 'paid', price: 40, quantity: 5 });
    const order = expectStatus(await postOesOrder(t, buyer.token, [{ ticket, quantity: 1 }]), 201, 'create-order').body.data;
    const friend = `friend-${Date.now()}@example.org`;
    await fillAttendeeForm(buyer.token, order, [{ firstname: 'Linus', lastname: 'T', email: friend }]);
    await sendOrderForm(t, buyer.token, order, { 'payment-mode': 'bank' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(friend)).toEqual([]);

    expectStatus(await patchOrder(t, owner.token, order, { status: 'completed', 'paid-via': 'bank' }), 200, 'mark paid');
    const mail = await inbox.waitFor(friend, /^Your ticket for Mail Conf$/);
    expect(mail.text).toContain('ordered a ticket for you');
    expect(mail.text).toContain('Patron for Linus T');
    // Prices are the buyer's business.
    expect(mail.text).not.toContain('40.00');
  });
});

describe('role invitation', () => {
  it('mails the invitee a link to the client’s /role-invites page whose token accepts the invitation', async () => {
    const invitee = await quickUser(t);
    const invited = await t.request({ method: 'POST', url: '/v1/role-invites', token: owner.token, json: inviteBody(ev, invitee.email, 'coorganizer') });
    expect(invited.status, invited.text).toBe(201);
    // The organizer's answer still holds no hash: only the mail carries it.
    expect(invited.body.data.attributes).not.toHaveProperty('hash');

    const mail = await inbox.waitFor(invitee.email, /Invitation to be a co-organizer of Mail Conf/);
    expect(mail.text).toContain('Journey Events');
    expect(mail.text).toContain(owner.email);
    const link = linkIn(mail, `${FRONTEND}/role-invites?token=`);
    const token = link.searchParams.get('token')!;
    // What the client's page posts: who the invitation is for, then (signed in as them) accept.
    const about = await t.request({ method: 'POST', url: '/v1/role_invites/user', json: { data: { token } } });
    expect(about.status, about.text).toBe(200);
    expect(about.body).toMatchObject({ email: invitee.email, role: 'coorganizer', event_identifier: ev.attributes.identifier });
    // Someone else signed in cannot use the link.
    const other = await quickUser(t);
    expect((await t.request({ method: 'POST', url: '/v1/role_invites/accept-invite', token: other.token, json: { data: { token } } })).status).toBe(403);
    const accepted = await t.request({ method: 'POST', url: '/v1/role_invites/accept-invite', token: invitee.token, json: { data: { token } } });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    // The invitee is on the team now: they read the event's roles.
    expect((await get(t, `/v1/events/${ev.id}/users-events-roles`, invitee.token)).status).toBe(200);
    // Only the invitee was mailed the link.
    expect(inbox.received.filter((m) => m.text.includes(token)).map((m) => m.to)).toEqual([[invitee.email]]);
  });

  it('an invitation to an address without an account is mailed too (nothing tells the organizer either way)', async () => {
    const email = `newcomer-${Date.now()}@example.org`;
    const invited = await t.request({ method: 'POST', url: '/v1/role-invites', token: owner.token, json: inviteBody(ev, email, 'registrar') });
    expect(invited.status, invited.text).toBe(201);
    const mail = await inbox.waitFor(email, /Invitation to be a registrar of Mail Conf/);
    expect(linkIn(mail, `${FRONTEND}/role-invites?token=`).searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
