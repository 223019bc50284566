// The rules on an event's values, on the domain functions themselves (no HTTP): the currency lock
// (no currency change once tickets are priced in it), zones, dates and who may change an event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.ts';
import { tickets, users } from '../../src/db/schema/index.ts';
import { ConflictError, ForbiddenError, InvalidError } from '../../src/domain/errors.ts';
import { changeEvent, checkEventValues, createEvent, managedEvent, readableEvent } from '../../src/domain/events.ts';
import type { User } from '../../src/domain/users.ts';
import { testDatabase, type TestDatabase } from '../support/app.ts';

let database: TestDatabase;
let db: Database;
let owner: User;
let counter = 0;

async function newUser(): Promise<User> {
  const [row] = await db.insert(users).values({ email: `domain-events-${++counter}@example.org`, passwordHash: 'scrypt$unusable' }).returning();
  return row!;
}

const newEvent = (values: { paymentCurrency?: string | null } = {}) =>
  createEvent(db, owner, { name: 'Money', startsAt: new Date('2026-02-01T08:00:00Z'), endsAt: new Date('2026-02-01T18:00:00Z'), ...values });

async function priceTicket(eventId: number) {
  await db.insert(tickets).values({ eventId, name: 'Standard', type: 'paid', priceMinor: 1250, quantity: 10 });
}

/** The error a promise rejects with, to look at its field. */
async function failure(promise: Promise<unknown>): Promise<{ field?: unknown }> {
  return promise.then(
    () => expect.unreachable('expected a refusal'),
    (error) => error,
  );
}

beforeAll(async () => {
  database = await testDatabase();
  db = database.connection.db;
  owner = await newUser();
});

afterAll(async () => {
  await database.drop();
});

describe('the currency lock', () => {
  it('lets the currency be set and changed while the event has no tickets', async () => {
    const event = await newEvent();
    const access = await managedEvent(db, event.id, owner, 'change');
    expect((await changeEvent(db, access, { paymentCurrency: 'EUR' })).paymentCurrency).toBe('EUR');
    const again = await managedEvent(db, event.id, owner, 'change');
    expect((await changeEvent(db, again, { paymentCurrency: 'USD' })).paymentCurrency).toBe('USD');
  });

  it('refuses another currency (or none) once a ticket is priced, at payment-currency', async () => {
    const event = await newEvent({ paymentCurrency: 'EUR' });
    await priceTicket(event.id);
    const access = await managedEvent(db, event.id, owner, 'change');
    for (const paymentCurrency of ['USD', null]) {
      const error = await failure(changeEvent(db, access, { paymentCurrency }));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.field).toEqual({ attribute: 'payment-currency' });
    }
    expect((await readableEvent(db, event.id, owner)).event.paymentCurrency).toBe('EUR');
  });

  it('still takes the same currency and other changes beside it', async () => {
    const event = await newEvent({ paymentCurrency: 'EUR' });
    await priceTicket(event.id);
    const access = await managedEvent(db, event.id, owner, 'change');
    const changed = await changeEvent(db, access, { paymentCurrency: 'EUR', name: 'Renamed' });
    expect(changed).toMatchObject({ paymentCurrency: 'EUR', name: 'Renamed' });
  });

  it('holds only for the event whose tickets they are', async () => {
    const priced = await newEvent({ paymentCurrency: 'EUR' });
    await priceTicket(priced.id);
    const other = await newEvent({ paymentCurrency: 'EUR' });
    const access = await managedEvent(db, other.id, owner, 'change');
    expect((await changeEvent(db, access, { paymentCurrency: 'GBP' })).paymentCurrency).toBe('GBP');
  });
});

describe('an event’s values', () => {
  it('refuses unknown currencies, zones not spelled as in the IANA database, and an end not after the start', () => {
    const start = new Date('2026-02-01T08:00:00Z');
    const cases: [Parameters<typeof checkEventValues>[0], string][] = [
      [{ paymentCurrency: 'QQQ' }, 'payment-currency'],
      [{ timezone: 'asia/tokyo' }, 'timezone'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ startsAt: start, endsAt: start }, 'ends-at'],
    ];
    for (const [values, attribute] of cases) {
      let caught: unknown;
      try {
        checkEventValues(values);
      } catch (error) {
        caught = error;
      }
      expect(caught, attribute).toBeInstanceOf(InvalidError);
      expect((caught as InvalidError).field).toEqual({ attribute });
    }
    expect(() => checkEventValues({ timezone: 'Asia/Kolkata', paymentCurrency: 'INR' })).not.toThrow();
  });

  it('keeps the zone as sent when created or changed', async () => {
    const event = await createEvent(db, owner, { name: 'Zones', timezone: 'Asia/Ho_Chi_Minh', startsAt: new Date('2026-02-01T08:00:00Z'), endsAt: new Date('2026-02-01T18:00:00Z') });
    expect(event.timezone).toBe('Asia/Ho_Chi_Minh');
    const access = await managedEvent(db, event.id, owner, 'change');
    expect((await changeEvent(db, access, { timezone: 'Asia/Kolkata' })).timezone).toBe('Asia/Kolkata');
  });

  it('may be changed by the event’s managers only', async () => {
    const event = await newEvent();
    const stranger = await newUser();
    // A draft does not exist for a stranger; the owner may change it.
    await expect(managedEvent(db, event.id, stranger, 'change')).rejects.toThrow('Not found');
    const forStranger = { ...(await readableEvent(db, event.id, owner)), canManage: false };
    await expect(changeEvent(db, forStranger, { name: 'Taken over' })).rejects.toThrow(ForbiddenError);
  });
});
