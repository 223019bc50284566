// Creating events: a unique public identifier, and the creator as the one owner, in one transaction.
import { randomInt } from 'node:crypto';
import type { Database } from '../db/connection.ts';
import { eventRoles, events } from '../db/schema/index.ts';
import type { Event } from './access.ts';
import type { User } from './users.ts';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 8 lowercase alphanumerics: 2.8 × 10^12 values, so a clash is rare and simply retried. */
export function newIdentifier(): string {
  let identifier = '';
  for (let i = 0; i < 8; i++) identifier += ALPHABET[randomInt(ALPHABET.length)];
  return identifier;
}

export type NewEvent = Omit<typeof events.$inferInsert, 'id' | 'identifier'>;

export async function createEvent(db: Database, owner: User, values: NewEvent): Promise<Event> {
  for (let attempt = 0; ; attempt++) {
    const identifier = newIdentifier();
    const event = await db.transaction(async (tx) => {
      const [created] = await tx.insert(events).values({ ...values, identifier }).onConflictDoNothing().returning();
      if (!created) return null;
      await tx.insert(eventRoles).values({ userId: owner.id, eventId: created.id, roleName: 'owner' });
      return created;
    });
    if (event) return event;
    if (attempt >= 5) throw new Error('could not find a free event identifier');
  }
}
