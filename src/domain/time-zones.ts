// Which time zone names an event may have: exactly the names of the IANA time zone database, zones
// and links (`Asia/Kolkata` and its old name `Asia/Calcutta` alike), spelled as the database spells
// them. The name is kept as the organizer wrote it; nothing here rewrites it.
//
// Intl is no judge of this: it accepts names in any case (`asia/tokyo`) and answers with ICU's own
// spelling (`Asia/Calcutta` for `Asia/Kolkata`), so the list comes from the `tzdata` package, which
// follows the IANA releases.
import { createRequire } from 'node:module';

const { zones } = createRequire(import.meta.url)('tzdata') as { zones: Record<string, unknown> };

/** `Factory` is the database's placeholder for "zone not yet set", not a place. */
const NAMES: ReadonlySet<string> = new Set(Object.keys(zones).filter((name) => name !== 'Factory'));

export function isTimeZoneName(name: string): boolean {
  if (!NAMES.has(name)) return false;
  // A name a newer database has but this runtime's ICU does not yet know cannot be exported.
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
