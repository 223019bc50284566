// Download links that work in a plain browser tab: the task id, an expiry time and an HMAC of both
// with the server's secret. Nobody can make one without the secret, and each stops working at expiry.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const LINK_LIFETIME_SECONDS = 60 * 60;

function signature(secretKey: string, taskId: string, expires: number): string {
  return createHmac('sha256', secretKey).update(`export-download\n${taskId}\n${expires}`).digest('base64url');
}

export function downloadPath(secretKey: string, taskId: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + LINK_LIFETIME_SECONDS;
  return `/v1/exports/${taskId}/download?expires=${expires}&signature=${signature(secretKey, taskId, expires)}`;
}

export type LinkCheck = 'valid' | 'expired' | 'invalid';

export function checkDownloadLink(secretKey: string, taskId: string, expires: string, given: string, now = Date.now()): LinkCheck {
  if (!/^\d{1,12}$/.test(expires)) return 'invalid';
  const expected = Buffer.from(signature(secretKey, taskId, Number(expires)));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'invalid';
  return Number(expires) * 1000 < now ? 'expired' : 'valid';
}
