import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { MYSQL_ADMIN_URL } from '../support/stack/aisbf-stack';
import { OtlpTraceReceiver } from '../support/otlp/otlp-trace-receiver';

const PROBE = path.resolve(__dirname, '../../dist/test/support/otlp/telemetry-probe.js');
const SECRET = 'sk-probe-secret-0123456789abcdef';

interface ProbeResult {
  connections: Array<{ host: string; port: number }>;
}

/** Runs the probe with exactly these OTEL_* variables (none inherited from the test's environment). */
async function probe(env: Record<string, string>): Promise<ProbeResult> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
  const { stdout } = await promisify(execFile)(process.execPath, [PROBE], { env: { ...inherited, ...env }, timeout: 30_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ProbeResult;
}

describe('OTLP export is switched by the standard OTEL_EXPORTER_OTLP_* variables', () => {
  const receiver = new OtlpTraceReceiver();
  const receiverPort = () => Number(new URL(receiver.endpoint).port);

  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it('attempts no export, and opens no connection at all, when none is set (a sampled caller trace notwithstanding)', async () => {
    const result = await probe({});
    expect(result.connections).toEqual([]);
  });

  it('attempts none either when OTEL_TRACES_EXPORTER=none, endpoint or not', async () => {
    const result = await probe({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_TRACES_EXPORTER: 'none' });
    expect(result.connections).toEqual([]);
    expect(receiver.spans.filter((span) => span.service === 'telemetry-probe')).toEqual([]);
  });

  it('exports to OTEL_EXPORTER_OTLP_ENDPOINT when it is set (so the checks above can fail)', async () => {
    const result = await probe({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
    expect(result.connections.map((c) => c.port)).toContain(receiverPort());
    expect(receiver.spans.filter((span) => span.service === 'telemetry-probe').map((span) => span.name)).toContain('telemetry probe');
  });

  it('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT alone is enough, and OTEL_SERVICE_NAME names the service', async () => {
    await probe({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces`, OTEL_SERVICE_NAME: 'renamed-probe' });
    expect(receiver.spans.filter((span) => span.service === 'renamed-probe').map((span) => span.name)).toContain('telemetry probe');
  });

  it('OTEL_RESOURCE_ATTRIBUTES reaches the exported resource and wins over the name AISBF gives the service', async () => {
    await probe({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_RESOURCE_ATTRIBUTES: 'service.name=attributes-probe,deployment.environment.name=test' });
    expect(receiver.spans.filter((span) => span.service === 'attributes-probe').map((span) => span.name)).toContain('telemetry probe');
  });
});

describe('mysql2 spans against the real database', () => {
  const receiver = new OtlpTraceReceiver();

  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it('carry each statement masked: its shape, no literal or bound value', async () => {
    await probe({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'mysql-probe', PROBE_MYSQL_URL: MYSQL_ADMIN_URL, PROBE_SECRET: SECRET });
    const spans = receiver.spans.filter((span) => span.service === 'mysql-probe');
    const statements = spans.map((span) => span.attributes['db.query.text'] ?? span.attributes['db.statement']).filter((text) => text !== undefined);
    expect(statements.sort()).toEqual(['SELECT ? AS bound_value, ? AS inline_number', 'SELECT ? AS inline_value', 'SELECT CHAR_LENGTH(?) AS prepared_value'].sort());
    // The query spans are children of the probe's span: the instrumentation is on, not merely quiet.
    const root = spans.find((span) => span.name === 'telemetry probe' && spans.some((child) => child.parentSpanId === span.spanId))!;
    expect(spans.filter((span) => span.parentSpanId === root.spanId)).toHaveLength(3);
    for (const span of spans) expect([span.name, JSON.stringify([span.attributes, span.eventAttributes]).includes(SECRET)]).toEqual([span.name, false]);
  });
});
