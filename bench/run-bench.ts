import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AisbfStack } from '../test/support/stack/aisbf-stack';
import { freePort } from '../test/support/stack/free-port';
import type { LoadResult, LoadSpec } from './load-generator';
import { ProcessSampler, ProcessUsage } from './process-sampler';

/*
 * `npm run bench`: the mock upstream, AISBF in distributed mode (one process per service on NATS),
 * optionally Portkey's gateway, and a load generator — each its own process on this machine.
 * Flags: --portkey, --quick (short runs), --rates=200,500,1000, --seconds=N, --profile (CPU profiles),
 * --node-args=--max-old-space-size=96,--max-semi-space-size=8 (Node flags for every AISBF service;
 * default: the heap limit the chart and Compose set, --node-args= for none),
 * --modes=plain,stream (which modes to run), --rates=none (saturation runs only).
 */

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'sk-bench-0123456789abcdefghijklmnop';
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag('quick');
const seconds = Number(option('seconds') ?? (quick ? 3 : 10));
const warmup = quick ? 1 : 2;
const rateList = option('rates') ?? (quick ? '200,500' : '200,500,1000');
const rates = rateList === 'none' ? [] : rateList.split(',').map(Number);
const modes = (option('modes') ?? 'plain,stream').split(',');
if (rates.some((r) => !(r > 0)) || modes.some((m) => m !== 'plain' && m !== 'stream')) {
  throw new Error('--rates takes positive numbers or "none"; --modes takes plain and/or stream');
}
// The services run as deployed: the chart's and Compose's default heap limit.
const nodeArgs = option('node-args') ?? '--max-old-space-size=128';
const saturationConcurrency = Number(option('concurrency') ?? 64);

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  model: string;
  pids: Array<{ name: string; pid: number }>;
}

interface CaseResult extends LoadResult {
  target: string;
  stream: boolean;
  rate: number | 'saturation';
  processes: ProcessUsage[];
}

function startProcess(args: string[], env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`not ready: ${args.join(' ')}\n${output}`)), 20_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      if (/listening on|running at|Ready for connections/i.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'load-generator.js'), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator failed (${code})`))));
  });
}

function body(model: string, stream: boolean): string {
  return JSON.stringify({
    model,
    stream,
    messages: [
      { role: 'system', content: 'You are a concise assistant.' },
      { role: 'user', content: 'Summarise the benefits of connection pooling in two sentences.' },
    ],
  });
}

/** A target serves both modes: a plain answer and a stream that ends with [DONE]. */
async function available(target: Target): Promise<boolean> {
  for (const stream of [false, true]) {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body: body(target.model, stream),
    }).catch(() => null);
    if (!response) return false;
    const text = await response.text();
    if (response.status !== 200 || (stream && !text.includes('data: [DONE]'))) return false;
  }
  return true;
}

async function runCase(target: Target, stream: boolean, rate: number | 'saturation'): Promise<CaseResult> {
  const sampler = new ProcessSampler(target.pids);
  sampler.start();
  const result = await load({
    url: target.url,
    headers: target.headers,
    body: body(target.model, stream),
    stream,
    rate: rate === 'saturation' ? 0 : rate,
    concurrency: rate === 'saturation' ? saturationConcurrency : 64,
    durationSec: seconds,
    warmupSec: warmup,
  });
  const processes = sampler.stop();
  const line = `${target.name.padEnd(18)} ${stream ? 'stream' : 'plain '} ${String(rate).padEnd(10)} ` +
    `${result.throughput.toFixed(0).padStart(6)} req/s  p50 ${result.latencyMs.p50.toFixed(2)} p99 ${result.latencyMs.p99.toFixed(2)} ms` +
    (result.ttftMs ? `  ttft p50 ${result.ttftMs.p50.toFixed(2)}` : '') + `  errors ${result.errors}`;
  console.log(line);
  return { ...result, target: target.name, stream, rate, processes };
}

const fmt = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(2));

function markdown(results: CaseResult[], meta: Record<string, unknown>): string {
  const baseline = (r: CaseResult) => results.find((b) => b.target === 'direct' && b.stream === r.stream && b.rate === r.rate);
  const lines = [
    `# AISBF benchmark — ${meta.date}`,
    '',
    `Machine: ${meta.cpus} × ${meta.cpuModel}, ${meta.memoryGb} GiB, Node ${meta.node}. Load generator, mock upstream and every service on this one machine.`,
    `Runs: ${seconds} s measured after ${warmup} s warm-up; stream responses have 20 chunks.` +
      (meta.nodeArgs ? ` AISBF services ran with Node flags \`${String(meta.nodeArgs).replace(/,/g, ' ')}\`.` : ''),
    '',
    '| target | mode | rate | req/s | p50 ms | p90 ms | p99 ms | max ms | Δp50 | Δp90 | Δp99 | TTFT p50 | ΔTTFT p50 | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const b = baseline(r);
    const delta = (k: 'p50' | 'p90' | 'p99') => (b && r.target !== 'direct' ? fmt(r.latencyMs[k] - b.latencyMs[k]) : '—');
    lines.push(
      `| ${r.target} | ${r.stream ? 'stream' : 'plain'} | ${r.rate} | ${r.throughput.toFixed(0)} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p90)} | ${fmt(r.latencyMs.p99)} | ${fmt(r.latencyMs.max)} | ${delta('p50')} | ${delta('p90')} | ${delta('p99')} | ${fmt(r.ttftMs?.p50)} | ${b?.ttftMs && r.ttftMs && r.target !== 'direct' ? fmt(r.ttftMs.p50 - b.ttftMs.p50) : '—'} | ${r.errors} |`,
    );
  }
  lines.push('', '## Processes (max RSS MB / average CPU %)', '', '| target | mode | rate | process | max RSS MB | avg CPU % |', '| --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    for (const p of r.processes) {
      lines.push(`| ${r.target} | ${r.stream ? 'stream' : 'plain'} | ${r.rate} | ${p.name} | ${p.maxRssMb.toFixed(0)} | ${p.avgCpuPercent.toFixed(0)} |`);
    }
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  let stack: AisbfStack | undefined;
  try {
    const mockPort = await freePort();
    const mock = await startProcess([path.join(ROOT, 'dist/test/support/mock-openai/main.js'), String(mockPort), '--no-record', '--chunks=20']);
    children.push(mock);
    const mockUrl = `http://127.0.0.1:${mockPort}/v1`;

    stack = await AisbfStack.start({
      mode: 'distributed',
      config: {
        users: {
          bench: {
            tokens: [TOKEN],
            providers: {
              mock: { type: 'openai', endpoint: mockUrl, api_key: 'sk-mock', models: [{ name: 'mock-model' }, { name: 'mock-large' }] },
            },
            rotations: {
              bench: {
                providers: [
                  { provider_id: 'mock', model: 'mock-model', weight: 3 },
                  { provider_id: 'mock', model: 'mock-large', weight: 1 },
                ],
              },
            },
            autoselect: {
              'bench-auto': {
                selection_model: 'local',
                fallback: 'user-provider/mock/mock-model',
                classify_privacy: true,
                classify_semantic: true,
                available_models: [
                  { model_id: 'user-provider/mock/mock-large', description: 'Long refactors and heavy coding work' },
                  { model_id: 'user-provider/mock/mock-model', description: 'Quick questions and short summaries' },
                ],
              },
            },
          },
        },
      },
      env: {
        CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: 'true',
      },
      // One summary line per request: millions in a full run.
      outputLimitBytes: 4 * 1024 * 1024,
      // --profile: a V8 CPU profile per service, written when the services stop.
      nodeArgs: [
        ...(flag('profile') ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench/results/profiles')}`] : []),
        ...nodeArgs.split(',').filter(Boolean),
      ],
    });
    const aisbfPids = stack.processes.map((p) => ({ name: p.service, pid: p.child.pid! }));
    const mockPid = { name: 'mock-upstream', pid: mock.pid! };
    const aisbf = (name: string, model: string): Target => ({
      name,
      url: `${stack!.baseUrl}/v1/chat/completions`,
      headers: { authorization: `Bearer ${TOKEN}` },
      model,
      pids: [...aisbfPids, mockPid],
    });
    const targets: Target[] = [
      { name: 'direct', url: `${mockUrl}/chat/completions`, headers: { authorization: 'Bearer sk-mock' }, model: 'mock-model', pids: [mockPid] },
      aisbf('aisbf-provider', 'user-provider/mock/mock-model'),
    ];
    if (flag('portkey')) {
      const port = await freePort();
      const portkey = await startProcess(
        [path.join(ROOT, 'node_modules/@portkey-ai/gateway/build/start-server.js'), `--port=${port}`, '--headless'],
        { NODE_ENV: 'production' },
      );
      children.push(portkey);
      targets.push({
        name: 'portkey',
        url: `http://127.0.0.1:${port}/v1/chat/completions`,
        headers: { authorization: 'Bearer sk-mock', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': mockUrl },
        model: 'mock-model',
        pids: [{ name: 'portkey', pid: portkey.pid! }, mockPid],
      });
    }
    const extra = [aisbf('aisbf-rotation', 'user-rotation/bench'), aisbf('aisbf-autoselect', 'user-autoselect/bench-auto')];
    const policyTargets: Target[] = [];
    for (const target of extra) {
      if (await available(target)) policyTargets.push(target);
      else console.log(`${target.name}: route not served by this build, skipped`);
    }
    for (const target of targets) if (!(await available(target))) throw new Error(`${target.name} does not answer`);

    const results: CaseResult[] = [];
    for (const stream of [false, true]) {
      if (!modes.includes(stream ? 'stream' : 'plain')) continue;
      for (const rate of rates) {
        for (const target of targets) results.push(await runCase(target, stream, rate));
        if (rate === 500) for (const target of policyTargets) results.push(await runCase(target, stream, rate));
      }
      for (const target of targets) results.push(await runCase(target, stream, 'saturation'));
    }

    const meta = {
      date: new Date().toISOString(),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
      nodeArgs,
      seconds,
      warmup,
    };
    const dir = path.join(ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const stamp = meta.date.replace(/[:.]/g, '-');
    writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify({ meta, results }, null, 2));
    const md = markdown(results, meta);
    writeFileSync(path.join(dir, `${stamp}.md`), md);
    writeFileSync(path.join(dir, 'latest.md'), md);
    console.log(`\nresults: bench/results/${stamp}.md`);
  } finally {
    await stack?.stop();
    for (const child of children) child.kill('SIGTERM');
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
