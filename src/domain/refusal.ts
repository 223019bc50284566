// The one answer to "you may not do that": strangers are asked to sign in, people who can see the
// thing are told they may not change it, and for everyone else it does not exist, so a refusal never
// reveals what a viewer could not otherwise see.
import { ForbiddenError, NotFoundError, UnauthenticatedError } from './errors.ts';
import type { User } from './users.ts';

export function refuse(user: User | null, canSee: boolean, reason: string): never {
  if (!user) throw new UnauthenticatedError('Authentication is required: send Authorization: JWT <token>');
  if (canSee) throw new ForbiddenError(reason);
  throw new NotFoundError('Not found');
}
