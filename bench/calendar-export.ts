// Calendar export speed and memory: `node bench/calendar-export.ts` (prints figures, then records them in
// BENCHMARKS.md under "Calendar export"). On the shared synthetic 10,000-session event it times each of our
// formats, the seed reference (the Python ElementTree exporter of the system we replace, run in the same run on the
// same data) and JSON.stringify of the same session objects; then it measures the peak RSS of a 100,000-session
// xCal export streamed to /dev/null in a child process, above that process's idle RSS.
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { calendarFormats, type CalendarFormatId } from '../src/calendar/formats.ts';
import type { CalendarInput, CalendarSession } from '../src/calendar/model.ts';
import { loadSynthetic, sharedDir, type Synthetic } from './synthetic.ts';
import { recordSection } from './record.ts';

const root = resolve(import.meta.dirname, '..');
const PYTHON = '/usr/bin/python3';
const N = 10_000;
const RSS_N = 100_000;
const RUNS = 5;

const synthetic = await loadSynthetic();

/** The synthetic objects in our model; rooms, tracks, types and speakers become shared objects with ids, as the
 *  database layer builds them. */
function modelMapper() {
  const registry = () => {
    const byName = new Map<string, { id: number; name: string }>();
    return (name: string) => {
      let o = byName.get(name);
      if (!o) byName.set(name, (o = { id: byName.size + 1, name }));
      return o;
    };
  };
  const room = registry();
  const type = registry();
  const speaker = registry();
  const tracks = new Map<string, { id: number; name: string; color: string | null }>();
  const track = (name: string) => {
    let t = tracks.get(name);
    if (!t) tracks.set(name, (t = { id: tracks.size + 1, name, color: null }));
    return t;
  };
  const created = new Date('2025-01-15T09:30:00Z');
  return (r: Synthetic): CalendarSession => ({
    id: r.id,
    title: r.title,
    subtitle: null,
    shortAbstract: r.abstract,
    longAbstract: null,
    language: 'en',
    level: null,
    state: 'confirmed',
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    deletedAt: null,
    createdAt: created,
    lastModifiedAt: created,
    sequence: 0,
    slidesUrl: null,
    videoUrl: null,
    audioUrl: null,
    track: track(r.track),
    room: room(r.room),
    sessionType: type(r.type),
    speakers: r.speakers.map(speaker),
  });
}

function input(sessions: CalendarInput['sessions'], startsAt: Date, endsAt: Date): CalendarInput {
  const e = synthetic.EVENT;
  return {
    event: {
      id: e.id,
      identifier: e.identifier,
      name: e.name,
      timezone: e.timezone,
      description: 'The synthetic benchmark event.',
      locationName: 'Berlin',
      startsAt,
      endsAt,
      logoUrl: null,
      url: `${e.baseUrl}/e/${e.identifier}`,
    },
    sessions,
    tracks: [],
    rooms: [],
    generatedAt: new Date('2025-03-01T12:00:00Z'),
    baseUrl: e.baseUrl,
    refreshIntervalMinutes: 60,
  };
}

interface SeedResult {
  sessions_per_s: number;
  median_ms: number;
  min_ms: number;
  out_bytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Timing {
  /** Median and best of the runs, ms. */
  ms: number;
  bestMs: number;
}

/** RUNS exports after warm-up (our serializers write UTF-8: the bytes that would be sent). */
async function timeFormat(format: CalendarFormatId, data: CalendarInput): Promise<Timing & { bytes: number }> {
  const once = async () => {
    let bytes = 0;
    for await (const chunk of calendarFormats[format].serialize(data)) bytes += chunk.length;
    return bytes;
  };
  let bytes = 0;
  for (let i = 0; i < 3; i++) bytes = await once();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), bestMs: Math.min(...times), bytes };
}

function timeJson(objects: unknown[]): Timing {
  for (let i = 0; i < 3; i++) JSON.stringify(objects);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    JSON.stringify(objects);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), bestMs: Math.min(...times) };
}

/**
 * Child process: a 100,000-session xCal export streamed to /dev/null. Sessions are made as they are read, the way a
 * database cursor yields rows: from 1,000 synthetic sessions (made before the idle RSS is taken), each row with
 * its own id, times and freshly decoded strings, every 1,000 rows 5 days later than the previous ones.
 */
async function rssChild(n: number): Promise<void> {
  const toModel = modelMapper();
  const batch = 1000; // 1,000 synthetic sessions fill 5 days
  const templates = synthetic.generateSessions(batch).map((r) => ({
    ...r,
    title: Buffer.from(r.title),
    abstract: Buffer.from(r.abstract),
  }));
  function* sessions(): Generator<CalendarSession> {
    for (let i = 0; i < n; i++) {
      const r = templates[i % batch];
      const shift = Math.floor(i / batch) * 5 * 86_400_000;
      yield toModel({
        ...r,
        id: 1000 + i,
        title: r.title.toString(),
        abstract: r.abstract.toString(),
        startsAt: new Date(r.startsAt.getTime() + shift),
        endsAt: new Date(r.endsAt.getTime() + shift),
      });
    }
  }
  const start = templates[0].startsAt;
  const end = new Date(start.getTime() + (n / batch) * 5 * 86_400_000);
  globalThis.gc?.();
  const idle = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  await pipeline(Readable.from(calendarFormats.xcal.serialize(input(sessions(), start, end))), createWriteStream('/dev/null'));
  const ms = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS;
  console.log(JSON.stringify({ n, idleKb: idle, peakKb: peak, ms }));
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const raw = synthetic.generateSessions(N);
  const toModel = modelMapper();
  const data = input(raw.map(toModel), raw[0].startsAt, raw[raw.length - 1].endsAt);

  const dir = mkdtempSync(join(tmpdir(), 'openevent-bench-'));
  const results: (Timing & { name: string; perS: number; bytes?: number })[] = [];
  try {
    for (const format of Object.keys(calendarFormats) as CalendarFormatId[]) {
      const timing = await timeFormat(format, data);
      results.push({ name: `openevent ${format}`, ...timing, perS: N / (timing.ms / 1000) });
    }
    const json = timeJson(raw);
    results.push({ name: 'JSON.stringify (same sessions)', ...json, perS: N / (json.ms / 1000) });

    const dataFile = join(dir, 'sessions.json');
    writeFileSync(dataFile, JSON.stringify({ event: synthetic.EVENT, sessions: raw }));
    const seedOut = execFileSync(PYTHON, [join(sharedDir, 'bench', 'seed-xcal.py'), dataFile, 'pytz', String(RUNS)], {
      encoding: 'utf8',
    });
    const seed = JSON.parse(seedOut.trim().split('\n').pop() as string) as SeedResult;
    results.push({
      name: 'seed reference (Python ElementTree, pytz)',
      ms: seed.median_ms,
      bestMs: seed.min_ms,
      perS: seed.sessions_per_s,
      bytes: seed.out_bytes,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const seedPerS = results.find((r) => r.name.startsWith('seed'))!.perS;
  const jsonPerS = results.find((r) => r.name.startsWith('JSON'))!.perS;
  const rows = results.map((r) =>
    [
      '',
      r.name,
      r.ms.toFixed(1),
      r.bestMs.toFixed(1),
      Math.round(r.perS).toLocaleString('en-US'),
      `${(r.perS / seedPerS).toFixed(1)}×`,
      `${(r.perS / jsonPerS).toFixed(2)}×`,
      r.bytes ? (r.bytes / 1e6).toFixed(1) : '–',
      '',
    ].join(' | ').trim(),
  );

  const child = spawnSync(process.execPath, ['--expose-gc', import.meta.filename, '--rss-child', String(RSS_N)], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`RSS child failed: ${child.stderr}`);
  const rss = JSON.parse(child.stdout.trim()) as { n: number; idleKb: number; peakKb: number; ms: number };
  const mb = (kb: number) => (kb / 1024).toFixed(1);

  const load = `${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`;
  const cpu = cpus()[0]?.model ?? 'unknown';
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  const section = [
    '## Calendar export',
    '',
    `Machine: ${nproc} cores (\`nproc\`), ${cpu}, Node ${process.version}; 1-minute load average ${load} the run.`,
    `Command: \`node bench/calendar-export.ts\` (${new Date().toISOString().slice(0, 10)}).`,
    '',
    `${N.toLocaleString('en-US')} sessions of \`../shared/bench/synthetic-schedule.mjs\` (Europe/Berlin), median of ${RUNS} runs after warm-up;`,
    'our serializers produce UTF-8 bytes, as the seed produces its bytes. Target: xCal and iCalendar ≥ 10× the seed reference.',
    '',
    '| exporter | median ms | best ms | sessions/s (median) | × seed | × JSON.stringify | MB out |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Memory: a ${rss.n.toLocaleString('en-US')}-session xCal export streamed to /dev/null in a child process, sessions made as read (like`,
    'rows from a database cursor: 1,000 synthetic sessions repeated with their own ids, times and decoded strings).',
    `Idle RSS ${mb(rss.idleKb)} MB, peak RSS ${mb(rss.peakKb)} MB, **${mb(rss.peakKb - rss.idleKb)} MB above idle** (target < 64 MB), ${(rss.ms / 1000).toFixed(1)} s.`,
    '',
  ].join('\n');

  console.log(section);
  recordSection('## Calendar export', section);
}

if (process.argv[2] === '--rss-child') await rssChild(Number(process.argv[3]));
else await main();
