import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AisbfStack } from '../../test/support/stack/aisbf-stack';
import { MockOpenAiServer } from '../../test/support/mock-openai/mock-openai-server';

/*
 * `npm run soak`: AISBF in distributed mode behind a rotation of failing upstreams (500 some of
 * the time, 429 with Retry-After, an HTML 502 page, a stalled stream) and one healthy one, under a
 * steady mixed stream/plain load. Every request must settle within SETTLE_MS; RSS of each service
 * is sampled and compared between the second and the last third of the run.
 */

const TOKEN = 'sk-soak-0123456789abcdefghijklmnop';
const SETTLE_MS = 15_000;
/** RSS may grow this much (MB) from the second to the last third: warm caches, not a leak. */
export const MAX_GROWTH_MB = 64;

export interface SoakResult {
  seconds: number;
  rps: number;
  sent: number;
  ok: number;
  errors: number;
  lost: number;
  hung: number;
  failovers: number;
  rss: Array<{ service: string; startMb: number; endMb: number; secondThirdMb: number; lastThirdMb: number; growthMb: number }>;
}

type Outcome = 'ok' | 'error' | 'lost' | 'hung';

async function one(url: string, stream: boolean): Promise<{ outcome: Outcome; failover: boolean }> {
  const signal = AbortSignal.timeout(SETTLE_MS);
  try {
    const response = await fetch(url, {
      method: 'POST',
      signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ model: 'user-rotation/soak', stream, messages: [{ role: 'user', content: 'Say hello.' }] }),
    });
    const text = await response.text();
    const failover = Number(response.headers.get('x-aisbf-attempts') ?? 1) > 1 || response.headers.has('x-aisbf-failover');
    if (!stream) {
      if (response.status === 200) return { outcome: 'ok', failover };
      return { outcome: /"error"\s*:/.test(text) ? 'error' : 'lost', failover };
    }
    if (response.status !== 200) return { outcome: /"error"\s*:/.test(text) ? 'error' : 'lost', failover };
    if (!text.includes('data: [DONE]')) return { outcome: 'lost', failover };
    return { outcome: /data: \{"error"/.test(text) ? 'error' : 'ok', failover };
  } catch {
    return { outcome: signal.aborted ? 'hung' : 'lost', failover: false };
  }
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

const average = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

export async function runSoak(seconds: number, rps: number): Promise<SoakResult> {
  const mocks = {
    flaky: await new MockOpenAiServer('flaky', { record: false }).start(),
    limited: await new MockOpenAiServer('limited', { record: false }).start(),
    html: await new MockOpenAiServer('html', { record: false }).start(),
    staller: await new MockOpenAiServer('staller', { record: false }).start(),
    healthy: await new MockOpenAiServer('healthy', { record: false }).start(),
  };
  mocks.limited.setDefault({ status: 429, retryAfter: '1' });
  mocks.html.setDefault({ status: 502, rawBody: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' });
  mocks.staller.setDefault({ stallAfterChunks: 1 });
  mocks.healthy.setDefault({ chunks: 5 });
  // The flaky upstream answers 500 to about one request in three.
  const flakyTimer = setInterval(() => mocks.flaky.enqueue(...Array.from({ length: 10 }, () => (Math.random() < 0.33 ? { status: 500 } : {}))), 500);
  const provider = (mock: MockOpenAiServer, extra: Record<string, unknown> = {}) => ({ type: 'openai', endpoint: mock.url, models: [{ name: 'm' }], ...extra });
  let stack: AisbfStack | undefined;
  try {
    stack = await AisbfStack.start({
      mode: 'distributed',
      env: { CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: 'true' },
      config: {
        users: {
          soak: {
            tokens: [TOKEN],
            providers: {
              flaky: provider(mocks.flaky),
              limited: provider(mocks.limited),
              html: provider(mocks.html),
              staller: provider(mocks.staller, { timeouts: { first_byte_ms: 1_000, idle_ms: 500 } }),
              healthy: provider(mocks.healthy),
            },
            rotations: {
              soak: {
                providers: [
                  { provider_id: 'flaky', model: 'm', weight: 3, error_cooldown: 1 },
                  { provider_id: 'limited', model: 'm', weight: 2, error_cooldown: 1 },
                  { provider_id: 'html', model: 'm', weight: 2, error_cooldown: 1 },
                  { provider_id: 'staller', model: 'm', weight: 2, error_cooldown: 1 },
                  { provider_id: 'healthy', model: 'm', weight: 1, error_cooldown: 1 },
                ],
              },
            },
          },
        },
      },
    });
    const url = `${stack.baseUrl}/v1/chat/completions`;
    const services = stack.processes.map((p) => ({ service: `${p.service}:${p.child.pid}`, pid: p.child.pid! }));
    const samples: Array<{ at: number; rss: number[] }> = [];
    const sample = () => samples.push({ at: Date.now(), rss: services.map((s) => rssMb(s.pid)) });
    sample();
    const sampler = setInterval(sample, 3_000);
    const counts = { sent: 0, ok: 0, error: 0, lost: 0, hung: 0, failovers: 0 };
    const pending: Array<Promise<void>> = [];
    const started = Date.now();
    const end = started + seconds * 1000;
    while (Date.now() < end) {
      const due = started + (counts.sent * 1000) / rps;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const stream = counts.sent % 2 === 0;
      counts.sent++;
      pending.push(
        one(url, stream).then(({ outcome, failover }) => {
          counts[outcome]++;
          if (failover) counts.failovers++;
        }),
      );
    }
    await Promise.all(pending);
    clearInterval(sampler);
    sample();
    const third = (seconds * 1000) / 3;
    const window = (from: number, to: number) => samples.filter((s) => s.at - started >= from && s.at - started <= to);
    const second = window(third, 2 * third);
    const last = window(2 * third, Infinity);
    const rss = services.map((s, i) => {
      const secondThirdMb = average(second.map((x) => x.rss[i]));
      const lastThirdMb = average(last.map((x) => x.rss[i]));
      return { service: s.service, startMb: samples[0].rss[i], endMb: samples[samples.length - 1].rss[i], secondThirdMb, lastThirdMb, growthMb: lastThirdMb - secondThirdMb };
    });
    return { seconds, rps, sent: counts.sent, ok: counts.ok, errors: counts.error, lost: counts.lost, hung: counts.hung, failovers: counts.failovers, rss };
  } finally {
    clearInterval(flakyTimer);
    await stack?.stop();
    for (const mock of Object.values(mocks)) await mock.stop();
  }
}

export function soakFailures(result: SoakResult): string[] {
  const failures: string[] = [];
  if (result.lost > 0) failures.push(`${result.lost} lost`);
  if (result.hung > 0) failures.push(`${result.hung} hung`);
  for (const r of result.rss) if (r.growthMb > MAX_GROWTH_MB) failures.push(`${r.service} grew ${r.growthMb.toFixed(1)} MB`);
  return failures;
}

function markdown(result: SoakResult, date: string): string {
  const lines = [
    `# AISBF soak — ${date}`,
    '',
    `${result.seconds} s at ${result.rps} req/s, half streamed, rotation of 4 failing upstreams and 1 healthy one.`,
    '',
    `sent ${result.sent}, ok ${result.ok}, errors ${result.errors}, lost ${result.lost}, hung ${result.hung}, failovers ${result.failovers}`,
    '',
    '| service | RSS start MB | RSS end MB | 2nd third MB | last third MB | growth MB |',
    '| --- | --- | --- | --- | --- | --- |',
    ...result.rss.map((r) => `| ${r.service} | ${r.startMb.toFixed(0)} | ${r.endMb.toFixed(0)} | ${r.secondThirdMb.toFixed(1)} | ${r.lastThirdMb.toFixed(1)} | ${r.growthMb.toFixed(1)} |`),
  ];
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const result = await runSoak(Number(process.env.AISBF_SOAK_SECONDS ?? 600), Number(process.env.AISBF_SOAK_RPS ?? 25));
  const date = new Date().toISOString();
  const md = markdown(result, date);
  console.log(md);
  const dir = path.resolve(__dirname, '../../../bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = date.replace(/[:.]/g, '-');
  writeFileSync(path.join(dir, `soak-${stamp}.json`), JSON.stringify(result, null, 2));
  writeFileSync(path.join(dir, `soak-${stamp}.md`), md);
  const failures = soakFailures(result);
  if (failures.length) {
    console.error(`soak failed: ${failures.join(', ')}`);
    process.exit(1);
  }
  process.exit(0);
}

if (require.main === module) void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
