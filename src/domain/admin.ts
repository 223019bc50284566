// What only admins may do: change the site's settings, pages and event classification lists.
import { ForbiddenError } from './errors.ts';
import type { User } from './users.ts';

/** Throws 403 unless the user is an admin; `what` completes "Only admins can …". */
export function requireAdmin(user: User, what: string): void {
  if (!user.isAdmin) throw new ForbiddenError(`Only admins can ${what}`);
}
