// The mails that look after an account: confirm your email, reset your password. Plain text, so the
// link is exactly what the reader sees; the links point at the web client's pages (frontend-url),
// which post the token back to the API.
import type { Mail } from './mailer.ts';

export interface Site {
  appName: string;
  /** Where the web client's pages are, without a trailing slash. */
  frontendUrl: string;
}

/** A page of the web client with the token in its query, as OES's client routes read it. */
export function pageLink(site: Site, path: '/verify' | '/reset-password', token: string): string {
  return `${site.frontendUrl}${path}?token=${encodeURIComponent(token)}`;
}

export function verificationMail(site: Site, to: string, token: string): Mail {
  const link = pageLink(site, '/verify', token);
  return {
    to,
    subject: `Confirm your email on ${site.appName}`,
    text: [
      `Welcome to ${site.appName}.`,
      '',
      'Confirm that this is your email address by opening this link:',
      link,
      '',
      'If you did not create an account, ignore this mail: nothing happens without the link.',
    ].join('\n'),
  };
}

export function passwordResetMail(site: Site, to: string, token: string, validForMinutes: number): Mail {
  const link = pageLink(site, '/reset-password', token);
  return {
    to,
    subject: `Reset your password on ${site.appName}`,
    text: [
      `Someone asked to reset the password of your ${site.appName} account.`,
      '',
      `To choose a new password, open this link within ${validForMinutes} minutes:`,
      link,
      '',
      'If it was not you, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}

/** To the address an account leaves: so a taken-over account does not change hands silently. */
export function emailChangedMail(site: Site, previous: string, next: string): Mail {
  return {
    to: previous,
    subject: `Your email on ${site.appName} was changed`,
    text: [
      `The email of your ${site.appName} account was changed from ${previous} to ${next}.`,
      '',
      'If you did not do this, contact the site\'s admins: this address no longer signs in to the account.',
    ].join('\n'),
  };
}
