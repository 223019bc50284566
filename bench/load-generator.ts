// The load generator of the HTTP benchmarks, run as a process of its own so that it never shares a CPU
// queue with the server it measures (in one process the ratio between two routes swings with the
// machine's load). Takes one JSON argument, prints one JSON line:
//   node bench/load-generator.ts '{"url":"http://…","connections":50,"seconds":10,"headers":{}}'
//   → {"rps":…,"p50":…,"p99":…,"non2xx":…,"errors":…,"bytesPerRequest":…}
import autocannon from 'autocannon';

type Load = { url: string; connections?: number; seconds?: number; headers?: Record<string, string> };

const load = JSON.parse(process.argv[2] ?? '{}') as Load;
if (!load.url) {
  console.error('usage: node bench/load-generator.ts \'{"url":"http://…","connections":50,"seconds":10}\'');
  process.exit(2);
}
const result = await autocannon({
  url: load.url,
  connections: load.connections ?? 50,
  duration: load.seconds ?? 10,
  headers: load.headers ?? {},
  pipelining: 1,
});
console.log(
  JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    bytesPerRequest: result.requests.total ? Math.round(result.throughput.total / result.requests.total) : 0,
  }),
);
