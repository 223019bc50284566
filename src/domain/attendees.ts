// Attendees (OES ticket holders) after the order: the buyer fills in the attendee form (names, contact
// and profile details, consents) while the order is initializing and corrects them later;
// the event's organizers and registrars do too, and check them in and out at the door. Only holders
// of a paid ticket check in, and attendees of an order that gave its tickets back no longer change.
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { attendees } from '../db/schema/index.ts';
import { ConflictError, ForbiddenError, InvalidError } from './errors.ts';
import { HOLDING, type Attendee, type Order, type OrderStatus } from './orders.ts';

/** What a request may change of an attendee (their details and the check-in); absent means "leave as is". */
export type AttendeeChanges = Partial<Omit<Attendee, 'id' | 'eventId' | 'orderId' | 'ticketId' | 'checkinTimes' | 'createdAt' | 'updatedAt'>>;

/** What happens at the door: a check-in, a check-out, or nothing. */
export type CheckInStep = 'check-in' | 'check-out' | null;

/**
 * Whether an attendee change may be made, and what it does to the check-in. `mayRegister`: the
 * viewer is one of the event's organizers or registrars (or an admin). A buyer may send the
 * check-in flag back unchanged, not change it.
 */
export function checkInStep(state: { orderStatus: OrderStatus; checkedIn: boolean; wanted: boolean | undefined; mayRegister: boolean }): CheckInStep {
  if (!HOLDING.includes(state.orderStatus)) throw new ConflictError(`The order is ${state.orderStatus}: its attendees no longer hold tickets`);
  if (state.wanted === undefined) return null;
  if (state.wanted !== state.checkedIn) {
    if (!state.mayRegister) throw new ForbiddenError('Only the event’s organizers and registrars check attendees in');
    if (state.wanted && state.orderStatus !== 'completed') {
      throw new InvalidError('The order is not paid yet: mark it completed before its attendees check in', { attribute: 'is-checked-in' });
    }
  }
  if (!state.mayRegister) return null;
  return state.wanted ? 'check-in' : 'check-out';
}

/** Changes an attendee of `order` and returns them as they now are. */
export async function changeAttendee(db: Database, attendee: Attendee, order: Order, mayRegister: boolean, changes: AttendeeChanges): Promise<Attendee> {
  const { isCheckedIn, ...details } = changes;
  const step = checkInStep({ orderStatus: order.status, checkedIn: attendee.isCheckedIn, wanted: isCheckedIn, mayRegister });
  const now = new Date();
  // Two scanners at two doors may check the same person in at once: one time is recorded, because the
  // time is appended only by the update that finds them not yet in.
  const door =
    step === 'check-in'
      ? {
          isCheckedIn: true,
          checkinTimes: sql`CASE WHEN ${attendees.isCheckedIn} THEN ${attendees.checkinTimes} ELSE array_append(${attendees.checkinTimes}, ${now.toISOString()}::timestamptz) END`,
        }
      : step === 'check-out'
        ? { isCheckedIn: false }
        : {};
  const [updated] = await db
    .update(attendees)
    .set({ ...details, ...door, updatedAt: now })
    .where(eq(attendees.id, attendee.id))
    .returning();
  return updated!;
}
