// The server's log options: readable lines for a person at a terminal (pino-pretty), one JSON object
// per line for log collectors. Secrets in request headers never reach either.
import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';

export function readableLogs(config: Pick<Config, 'logLevel' | 'logFormat'>, isTTY = process.stdout.isTTY === true): boolean {
  if (config.logLevel === 'silent' || config.logFormat === 'json') return false;
  return config.logFormat === 'pretty' || isTTY;
}

export function loggerOptions(config: Pick<Config, 'logLevel' | 'logFormat'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    ...(readableLogs(config) ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
  };
}
