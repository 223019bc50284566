#!/usr/bin/env node
// The `openevent` command: serve, worker, migrate, export, import, create-admin. Settings come from environment
// variables; the flags of each command override them. A bad setting stops with one clear line.
import { enableCompileCache } from 'node:module';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { secureDataDir } from './data-dir.ts';
import type { Running } from './server.ts';
import { MIN_PASSWORD_LENGTH } from './auth/passwords.ts';
import { version } from './version.ts';
import { CommandError } from './command-error.ts';

// Compiled modules are cached on disk (in the OS temp dir): later starts load the server's ~1,000
// modules faster. The server and everything else load below, on demand, so the cache covers them.
enableCompileCache();

// The server, database and queue load on demand, so `--help` and a bad flag answer at once.
const load = {
  server: () => import('./server.ts'),
  database: () => import('./db/connection.ts'),
  migrations: () => import('./db/migrate.ts'),
  users: () => import('./domain/users.ts'),
  exports: () => import('./exports/cli-export.ts'),
  imports: () => import('./imports/cli-import.ts'),
  importFormats: () => import('./import/registry.ts'),
  formats: () => import('./formats/registry.ts'),
};

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags shared by every command that opens the database, each overriding its environment variable. */
const DATABASE_FLAGS: Options = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
};
const SERVER_FLAGS: Options = {
  ...DATABASE_FLAGS,
  port: { type: 'string' },
  host: { type: 'string' },
  'public-url': { type: 'string' },
};
const FLAG_TO_ENV: Record<string, string> = {
  'data-dir': 'DATA_DIR',
  'database-url': 'DATABASE_URL',
  port: 'PORT',
  host: 'HOST',
  'public-url': 'PUBLIC_URL',
};

const ENVIRONMENT_HELP = `
Environment (flags override):
  DATA_DIR          data directory for the embedded database and files (default ./data)
  DATABASE_URL      postgres://user@host:5432/db to use PostgreSQL instead of the embedded PGlite
  PORT, HOST        where to listen (default 8080 on 0.0.0.0)
  PUBLIC_URL        the URL clients reach this server at (default http://localhost:PORT)
  SECRET_KEY        signs tokens, at least 32 characters (generated into DATA_DIR when unset)
  TRUST_PROXY       proxies to believe about the client address (X-Forwarded-For): off (default),
                    true, a hop count, or comma-separated addresses/CIDRs of your proxies
  LOGIN_RATE_LIMIT, LOGIN_ACCOUNT_RATE_LIMIT, REGISTRATION_RATE_LIMIT
                    login attempts per address and email a minute (10), per account in 15 minutes
                    from any address (20), registrations per address an hour (50)
  REQUIRE_EMAIL_VERIFICATION
                    true: new accounts confirm their email through a mailed link before they
                    can order; false (default): new accounts are verified at once
  SMTP_URL, MAIL_FROM
                    smtp://user:pass@host:587 to send mail (unset: kept in DATA_DIR/outbox), and its sender
  CORS_ORIGINS      comma-separated origins allowed to call the API from a browser
  LOG_LEVEL         fatal|error|warn|info|debug|trace|silent (default info)
  STORAGE           where export files live: local (default) or database
`;

interface Command {
  summary: string;
  usage: string;
  options: Options;
  /** More help, loaded only when asked for (`--help`), e.g. the export formats from their registry. */
  details?(): Promise<string>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'Serve the API (and run jobs in the same process unless --no-worker)',
    usage: 'openevent serve [--port N] [--host H] [--data-dir DIR] [--database-url URL] [--no-worker]',
    options: { ...SERVER_FLAGS, 'no-worker': { type: 'boolean' } },
    async run(values) {
      const config = configFrom(values);
      const { start } = await load.server();
      const running = await start(config, { http: true, worker: !values['no-worker'], log: console.error });
      const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
      running.app!.log.info(`openevent ${version} on ${config.publicUrl} (${where}${values['no-worker'] ? ', no worker' : ''})`);
      stopOnSignal(running);
    },
  },
  worker: {
    summary: 'Run export and maintenance jobs only (no HTTP)',
    usage: 'openevent worker [--data-dir DIR] [--database-url URL]',
    options: { ...DATABASE_FLAGS },
    async run(values) {
      const config = configFrom(values);
      const { start } = await load.server();
      const running = await start(config, { http: false, worker: true, log: console.error });
      console.error(`openevent ${version} worker running`);
      stopOnSignal(running);
    },
  },
  migrate: {
    summary: 'Apply database migrations and exit',
    usage: 'openevent migrate [--data-dir DIR] [--database-url URL]',
    options: { ...DATABASE_FLAGS },
    async run(values) {
      const config = configFrom(values);
      const [{ openDatabase }, { migrate }] = await Promise.all([load.database(), load.migrations()]);
      const connection = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        await migrate(connection);
        console.log('database is up to date');
      } finally {
        await connection.close();
      }
    },
  },
  export: {
    summary: 'Write an export of an event to a file (the same bytes as its download)',
    usage: 'openevent export <event-id-or-identifier> --format FORMAT [-o FILE]',
    options: { ...DATABASE_FLAGS, format: { type: 'string' }, output: { type: 'string', short: 'o' }, 'public-url': { type: 'string' } },
    async details() {
      const { FORMATS } = await load.formats();
      return `\nFormats:\n${FORMATS.map((format) => `  ${format.id.padEnd(16)}${format.title}`).join('\n')}\n`;
    },
    async run(values, positionals) {
      const [event] = positionals;
      if (!event) throw new CommandError('name the event: openevent export <event-id-or-identifier> --format xcal');
      if (typeof values.format !== 'string') throw new CommandError('--format is required');
      const config = configFrom(values);
      const { exportToFile } = await load.exports();
      await exportToFile(config, { event, format: values.format, output: typeof values.output === 'string' ? values.output : null });
    },
  },
  import: {
    summary: 'Import a schedule file (frab XML/JSON, iCalendar, xCal, jCal) into an event',
    usage: 'openevent import <event-id-or-identifier> FILE [--format FORMAT] [--dry-run]',
    options: { ...DATABASE_FLAGS, format: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    async details() {
      const { IMPORT_FORMATS } = await load.importFormats();
      return `\nFormats (guessed from the file when --format is left out):\n${IMPORT_FORMATS.map((format) => `  ${format.id.padEnd(16)}${format.title}`).join('\n')}\n`;
    },
    async run(values, positionals) {
      const [event, file] = positionals;
      if (!event || !file) throw new CommandError('name the event and the file: openevent import <event-id-or-identifier> schedule.xml');
      const config = configFrom(values);
      const { importFromFile, describeSummary } = await load.imports();
      const summary = await importFromFile(config, {
        event,
        file,
        format: typeof values.format === 'string' ? values.format : null,
        dryRun: values['dry-run'] === true,
      });
      console.log(describeSummary(summary));
    },
  },
  'create-admin': {
    summary: 'Create an admin user, or make an existing user admin and set their password',
    usage: 'openevent create-admin --email EMAIL --password PASSWORD [--data-dir DIR] [--database-url URL]',
    options: { ...DATABASE_FLAGS, email: { type: 'string' }, password: { type: 'string' } },
    async run(values) {
      const email = values.email;
      const password = values.password;
      if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new CommandError('--email needs an email address');
      if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
        throw new CommandError(`--password needs at least ${MIN_PASSWORD_LENGTH} characters`);
      }
      const config = configFrom(values);
      const [{ openDatabase }, { migrate }, { ensureAdmin }] = await Promise.all([load.database(), load.migrations(), load.users()]);
      const connection = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        await migrate(connection);
        const { user, created } = await ensureAdmin(connection.db, email, password);
        console.log(`${created ? 'created' : 'updated'} admin ${user.email} (id ${user.id})`);
      } finally {
        await connection.close();
      }
    },
  },
};


function configFrom(values: Record<string, string | boolean | undefined>): Config {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [flag, name] of Object.entries(FLAG_TO_ENV)) {
    if (typeof values[flag] === 'string') env[name] = values[flag] as string;
  }
  const config = loadConfig(env);
  // Every command may open the embedded database or write into the data directory: private first.
  const tightened = secureDataDir(config.dataDir);
  if (tightened) console.error(tightened);
  return config;
}

function stopOnSignal(running: Running) {
  const stop = (signal: string) => {
    console.error(`${signal}: finishing requests and jobs, then exiting`);
    // A second signal means "now".
    process.once('SIGTERM', () => process.exit(1));
    process.once('SIGINT', () => process.exit(1));
    running.stop().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`error while stopping: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(14)}${command.summary}`);
  return `openevent ${version}\n\nUsage: openevent <command> [flags]   (openevent <command> --help for its flags)\n\nCommands:\n${lines.join('\n')}\n${ENVIRONMENT_HELP}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return 0;
  }
  if (name === '--version') {
    console.log(version);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`openevent: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: name === 'export' || name === 'import',
    }));
  } catch (error) {
    console.error(`openevent ${name}: ${(error as Error).message}\nUsage: ${command.usage}`);
    return 2;
  }
  if (values.help) {
    const details = command.details ? await command.details() : '';
    console.log(`${command.summary}\n\nUsage: ${command.usage}\n${details}${ENVIRONMENT_HELP}`);
    return 0;
  }
  try {
    await command.run(values, positionals);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CommandError) {
      console.error(`openevent ${name}: ${error.message}`);
      return 2;
    }
    console.error(`openevent ${name}: ${(error as Error).stack ?? error}`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
// serve and worker keep running until a signal; the other commands are done.
if (code !== 0 || !['serve', 'worker'].includes(process.argv[2] ?? '')) process.exit(code);
