// Column helpers shared by every schema file.
import { timestamp } from 'drizzle-orm/pg-core';

/** An instant: timestamptz, read as a Date. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
