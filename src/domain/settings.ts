// The site settings, as OES names and shows them: one record, of which anonymous visitors see the
// public part (what the web client needs to draw any page), signed-in users a little more, and admins
// everything. Only admins change them. Many are OES's own configuration (payment gateways, storage,
// social login, its mail service) that openevent does not use: they are kept so OES's admin pages
// round-trip, and the `is-*-activated` flags stay false because openevent takes no payments.
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { siteSettings } from '../db/schema/index.ts';
import { ForbiddenError, InvalidError } from './errors.ts';
import type { User } from './users.ts';

export type SettingKind = 'string' | 'url' | 'email' | 'integer' | 'boolean';

/** Who sees a setting: everyone, signed-in users, or admins only (OES's three setting schemas). */
export type Audience = 'public' | 'user' | 'admin';

export interface SettingSpec {
  kind: SettingKind;
  audience: Audience;
  /** Read as this when no admin has set it. */
  fallback?: string | number | boolean;
  /** Bounds of an integer setting. */
  min?: number;
  max?: number;
  /** Computed by the server: sent, and ignored when a client sends it back. */
  computed?: boolean;
}

const text = (audience: Audience, fallback?: string): SettingSpec => ({ kind: 'string', audience, fallback });
const url = (audience: Audience): SettingSpec => ({ kind: 'url', audience });
const whole = (audience: Audience, fallback: number, min: number, max: number): SettingSpec => ({
  kind: 'integer',
  audience,
  fallback,
  min,
  max,
});
const inactive: SettingSpec = { kind: 'boolean', audience: 'public', fallback: false, computed: true };

/** Every setting OES has, by its attribute name, in OES's order (app/api/schema/settings.py). */
export const SETTINGS = {
  'app-name': text('public', 'openevent'),
  tagline: text('public', 'Event management and ticketing'),
  'order-expiry-time': whole('public', 15, 1, 60),
  'start-pg-event-id': text('public'),
  'start-pg-enabled': text('public', 'default'),
  'max-complex-custom-fields': whole('public', 30, 1, 30),
  'analytics-key': text('public'),
  'fb-client-id': text('public'),
  'google-url': url('public'),
  'github-url': url('public'),
  'twitter-url': url('public'),
  'support-url': url('public'),
  'facebook-url': url('public'),
  'instagram-url': url('public'),
  'patreon-url': url('public'),
  'gitter-url': url('public'),
  'telegram-url': url('public'),
  'youtube-url': url('public'),
  'weblate-url': url('public'),
  /** Where every link to a page points (events, sessions, speakers, mails); defaults to PUBLIC_URL. */
  'frontend-url': url('public'),
  'rocket-chat-url': url('public'),
  'cookie-policy': text('public'),
  'cookie-policy-link': url('public'),
  'is-paytm-activated': inactive,
  'is-paypal-activated': inactive,
  'is-stripe-activated': inactive,
  'is-omise-activated': inactive,
  'is-alipay-activated': inactive,
  'is-billing-paypal-activated': inactive,
  'stripe-client-id': text('public'),
  'stripe-publishable-key': text('public'),
  'stripe-test-client-id': text('public'),
  'stripe-test-publishable-key': text('public'),
  'stripe-mode': text('public'),
  'paypal-mode': text('public'),
  'paypal-client': text('public'),
  'paypal-sandbox-client': text('public'),
  'omise-mode': text('public'),
  'omise-test-public': text('public'),
  'omise-live-public': text('public'),
  'alipay-publishable-key': text('public'),
  'paytm-mode': text('public'),
  'paytm-live-merchant': text('public'),
  'paytm-sandbox-merchant': text('public'),
  'admin-billing-contact-name': text('public'),
  'admin-billing-phone': text('public'),
  'admin-billing-email': { kind: 'email', audience: 'public' },
  'admin-billing-state': text('public'),
  'admin-billing-country': text('public'),
  'admin-billing-tax-info': text('public'),
  'admin-company': text('public'),
  'admin-billing-address': text('public'),
  'admin-billing-city': text('public'),
  'admin-billing-zip': text('public'),
  'admin-billing-additional-info': text('public'),
  'admin-billing-logo': url('public'),
  'logo-size': whole('public', 1000, 1, 1_000_000),
  'image-size': whole('public', 10000, 1, 1_000_000),
  'slide-size': whole('public', 20000, 1, 1_000_000),
  // The client reads these on every form with a captcha; openevent has none, so they stay off.
  'is-google-recaptcha-enabled': { kind: 'boolean', audience: 'public', fallback: false },
  'google-recaptcha-site': text('public'),

  'android-app-url': url('user'),
  'web-app-url': url('user'),

  'app-environment': text('admin', 'production'),
  'static-domain': text('admin'),
  'storage-place': text('admin'),
  'aws-key': text('admin'),
  'aws-secret': text('admin'),
  'aws-bucket-name': text('admin'),
  'aws-region': text('admin'),
  'gs-key': text('admin'),
  'gs-secret': text('admin'),
  'gs-bucket-name': text('admin'),
  'google-recaptcha-secret': text('admin'),
  'google-client-id': text('admin'),
  'google-client-secret': text('admin'),
  'fb-client-secret': text('admin'),
  'tw-consumer-key': text('admin'),
  'tw-consumer-secret': text('admin'),
  'in-client-id': text('admin'),
  'in-client-secret': text('admin'),
  'stripe-secret-key': text('admin'),
  'stripe-test-secret-key': text('admin'),
  'paypal-secret': text('admin'),
  'paypal-sandbox-secret': text('admin'),
  'omise-test-secret': text('admin'),
  'omise-live-secret': text('admin'),
  'alipay-secret-key': text('admin'),
  'paytm-live-secret': text('admin'),
  'paytm-sandbox-secret': text('admin'),
  'email-service': text('admin'),
  'email-from': { kind: 'email', audience: 'admin' },
  'email-from-name': text('admin'),
  'sendgrid-key': text('admin'),
  'smtp-host': text('admin'),
  'smtp-username': text('admin'),
  'smtp-password': text('admin'),
  'smtp-port': { kind: 'integer', audience: 'admin', min: 1, max: 65535 },
  'smtp-encryption': text('admin'),
  'rocket-chat-registration-secret': text('admin'),
  'invoice-sending-day': whole('admin', 1, 1, 28),
  'invoice-sending-timezone': text('admin', 'UTC'),
  'admin-billing-paypal-email': { kind: 'email', audience: 'admin' },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
export type SettingValue = string | number | boolean | null;

/** What the server's own configuration supplies where an admin set nothing. */
export interface SettingDefaults {
  frontendUrl: string;
}

/** What a viewer may see: admins everything, signed-in users the public and user part, others the public part. */
export function audienceOf(viewer: User | null): Audience {
  if (viewer?.isAdmin) return 'admin';
  return viewer ? 'user' : 'public';
}

const VISIBLE: Record<Audience, ReadonlySet<Audience>> = {
  public: new Set(['public']),
  user: new Set(['public', 'user']),
  admin: new Set(['public', 'user', 'admin']),
};

function specOf(name: string): SettingSpec | undefined {
  return Object.hasOwn(SETTINGS, name) ? (SETTINGS as Record<string, SettingSpec>)[name] : undefined;
}

async function storedValues(db: Queryable): Promise<Record<string, unknown>> {
  const [row] = await db.select({ values: siteSettings.values }).from(siteSettings).where(eq(siteSettings.id, 1));
  return row?.values ?? {};
}

function present(stored: Record<string, unknown>, audience: Audience, defaults: SettingDefaults) {
  const fallbacks: Partial<Record<SettingName, SettingValue>> = { 'frontend-url': defaults.frontendUrl };
  const settings: Record<string, SettingValue> = {};
  for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, SettingSpec][]) {
    if (!VISIBLE[audience].has(spec.audience)) continue;
    const value = spec.computed ? undefined : (stored[name] as SettingValue | undefined);
    settings[name] = value ?? fallbacks[name] ?? spec.fallback ?? null;
  }
  return settings;
}

/** The settings this viewer may see, by OES attribute name. */
export async function readSettings(db: Queryable, viewer: User | null, defaults: SettingDefaults) {
  return present(await storedValues(db), audienceOf(viewer), defaults);
}

/** A value as OES's schema accepts it: integers and booleans may come as strings ("15", "true"). */
function normalize(name: string, spec: SettingSpec, value: unknown): SettingValue {
  const invalid = (message: string) => new InvalidError(message, { attribute: name });
  if (value === null || value === undefined) {
    if (spec.fallback !== undefined && spec.kind !== 'string') throw invalid(`"${name}" cannot be empty`);
    return null;
  }
  switch (spec.kind) {
    case 'integer': {
      const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw invalid(`"${name}" must be a whole number`);
      if ((spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) {
        throw invalid(`"${name}" must be between ${spec.min} and ${spec.max}`);
      }
      return number;
    }
    case 'boolean':
      if (value === 'true' || value === 'false') return value === 'true';
      if (typeof value !== 'boolean') throw invalid(`"${name}" must be true or false`);
      return value;
    case 'url': {
      if (typeof value !== 'string') throw invalid(`"${name}" must be a URL`);
      if (value.trim() === '') return null;
      let parsed: URL;
      try {
        parsed = new URL(value.trim());
      } catch {
        throw invalid(`"${name}" must be an absolute http:// or https:// URL`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw invalid(`"${name}" must be an absolute http:// or https:// URL`);
      }
      return value.trim();
    }
    case 'email':
      if (typeof value !== 'string') throw invalid(`"${name}" must be an email address`);
      if (value.trim() === '') return null;
      if (!/^[^\s@]+@[^\s@]+$/.test(value.trim())) throw invalid(`"${name}" must be an email address`);
      return value.trim().toLowerCase();
    case 'string':
      if (typeof value !== 'string') throw invalid(`"${name}" must be text`);
      return value;
  }
}

/**
 * Changes the settings named in `changes` (admins only) and returns the admin's view of them. `null`
 * or an empty text resets a setting to its default; computed settings sent back are ignored; a
 * setting OES does not have is refused.
 */
export async function updateSettings(
  db: Queryable,
  user: User,
  changes: Record<string, unknown>,
  defaults: SettingDefaults,
) {
  if (!user.isAdmin) throw new ForbiddenError('Only admins can change the settings');
  const set: Record<string, SettingValue> = {};
  const problems: { message: string; field: { attribute: string } }[] = [];
  for (const [name, value] of Object.entries(changes)) {
    const spec = specOf(name);
    if (!spec) {
      problems.push({ message: `Unknown field "${name}"`, field: { attribute: name } });
      continue;
    }
    if (spec.computed) continue;
    try {
      set[name] = normalize(name, spec, value);
    } catch (error) {
      if (!(error instanceof InvalidError)) throw error;
      problems.push(...error.problems.map((problem) => ({ message: problem.message, field: { attribute: name } })));
    }
  }
  if (problems.length) throw InvalidError.many(problems);

  const kept = Object.fromEntries(Object.entries(set).filter(([, value]) => value !== null));
  const cleared = Object.keys(set).filter((name) => set[name] === null);
  // One statement, so two admins saving different settings at once both keep theirs.
  let merged = sql`${siteSettings.values} || ${JSON.stringify(kept)}::jsonb`;
  for (const name of cleared) merged = sql`(${merged}) - ${name}::text`;
  const [row] = await db
    .insert(siteSettings)
    .values({ id: 1, values: kept })
    .onConflictDoUpdate({ target: siteSettings.id, set: { values: merged, updatedAt: new Date() } })
    .returning({ values: siteSettings.values });
  return present(row!.values, 'admin', defaults);
}

/** What mail and links need: the site's name and where its pages are (`frontend-url`, without a trailing slash). */
export async function siteIdentity(db: Queryable, defaults: SettingDefaults): Promise<{ appName: string; frontendUrl: string }> {
  const settings = present(await storedValues(db), 'public', defaults);
  return {
    appName: String(settings['app-name'] ?? 'openevent'),
    frontendUrl: String(settings['frontend-url'] ?? defaults.frontendUrl).replace(/\/+$/, ''),
  };
}

/**
 * The largest document people may upload (`POST /v1/upload/files`), in bytes: the `slide-size` setting,
 * which OES and its client read as kilobytes (its default 20000 is about 20 MB).
 */
export async function slideSizeBytes(db: Queryable): Promise<number> {
  const settings = present(await storedValues(db), 'public', { frontendUrl: '' });
  return Number(settings['slide-size']) * 1024;
}
