// Email verification and password reset: the flows that mail a one-use link (mailed-tokens.ts) and
// take it back. Asking for a mail answers the same whether or not the address has an account, and is
// throttled per address and per email, so neither door tells who is registered or floods an inbox.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import type { Queryable } from '../db/connection.ts';
import type { Mailer } from '../mail/mailer.ts';
import { emailChangedMail, passwordResetMail, verificationMail, type Site } from '../mail/account-mails.ts';
import { hashPassword } from '../auth/passwords.ts';
import { InvalidError } from './errors.ts';
import { countAttempt } from './rate-limits.ts';
import { consumeMailedToken, issueMailedToken } from './mailed-tokens.ts';
import { clearLoginFailures, findUserByEmail, normalizeEmail, MIN_PASSWORD_LENGTH, type AccountLimits, type User } from './users.ts';

const VERIFICATION_LIFETIME_SECONDS = 3 * 24 * 60 * 60;
const RESET_LIFETIME_SECONDS = 60 * 60;
const HOUR = 60 * 60;

/** OES's limits on reset mails: one a minute from an address, three an hour to one email. */
async function throttle(db: Queryable, kind: string, email: string, address: string) {
  await countAttempt(db, { key: `${kind}-address:${address}`, max: 1, windowSeconds: 60 });
  await countAttempt(db, { key: `${kind}-email:${normalizeEmail(email)}`, max: 3, windowSeconds: HOUR });
}

/** Mails `user` a link that verifies their email. */
export async function sendVerificationMail(db: Queryable, mailer: Mailer, user: User, site: Site): Promise<void> {
  const token = await issueMailedToken(db, user, 'verify-email', VERIFICATION_LIFETIME_SECONDS);
  await mailer.send(verificationMail(site, user.email, token));
}

/** After an email change: a notice to the old address, and a verification link to the new one when it must be confirmed. */
export async function announceEmailChange(db: Queryable, mailer: Mailer, user: User, previousEmail: string, site: Site): Promise<void> {
  await mailer.send(emailChangedMail(site, previousEmail, user.email));
  if (!user.isVerified) await sendVerificationMail(db, mailer, user, site);
}

/** OES's resend-verification-email: a new link for an unverified account, nothing for others. */
export async function resendVerificationMail(db: Queryable, mailer: Mailer, email: string, address: string, site: Site): Promise<void> {
  await throttle(db, 'verification-mail', email, address);
  const user = await findUserByEmail(db, email);
  if (user && !user.isVerified) await sendVerificationMail(db, mailer, user, site);
}

/** The account the token verified, or null for a token that is unknown, used, expired or for an old address. */
export async function verifyEmail(db: Queryable, token: string): Promise<User | null> {
  const user = await consumeMailedToken(db, token, 'verify-email');
  if (!user) return null;
  const [verified] = await db
    .update(users)
    .set({ isVerified: true, updatedAt: new Date() })
    .where(and(eq(users.id, user.id), isNull(users.deletedAt)))
    .returning();
  return verified ?? null;
}

/** OES's reset-password request: mails a reset link if the email has an account. */
export async function requestPasswordReset(db: Queryable, mailer: Mailer, email: string, address: string, site: Site): Promise<void> {
  await throttle(db, 'password-reset', email, address);
  const user = await findUserByEmail(db, email);
  if (!user) return;
  const token = await issueMailedToken(db, user, 'reset-password', RESET_LIFETIME_SECONDS);
  await mailer.send(passwordResetMail(site, user.email, token, RESET_LIFETIME_SECONDS / 60));
}

/**
 * Sets a new password with a mailed reset token; null when the token does not hold. Ends every token
 * issued before (as a password change does), and verifies the email, since the mail reached it.
 */
export async function resetPassword(db: Queryable, token: string, password: string, limits: AccountLimits): Promise<User | null> {
  // Checked before the token is used up, so a too-short password does not cost the link.
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new InvalidError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long`, { pointer: '/data/password' });
  }
  const user = await consumeMailedToken(db, token, 'reset-password');
  if (!user) return null;
  const [updated] = await db
    .update(users)
    .set({ passwordHash: await hashPassword(password), tokenVersion: sql`${users.tokenVersion} + 1`, isVerified: true, updatedAt: new Date() })
    .where(and(eq(users.id, user.id), isNull(users.deletedAt)))
    .returning();
  // Whoever was locked out by failed logins is let back in by proving they own the address.
  if (updated) await clearLoginFailures(db, updated.email, limits);
  return updated ?? null;
}
