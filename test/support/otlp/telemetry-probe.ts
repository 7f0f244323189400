/**
 * A process that starts AISBF's telemetry exactly as a service does, records a span inside a
 * sampled caller's trace (so a span would be exported if any exporter were on), optionally runs
 * mysql2 queries with bound and inline values, shuts telemetry down (flushing any exporter), and
 * prints every outbound TCP connection it opened as JSON on stdout.
 *
 * Environment: OTEL_* as given; PROBE_MYSQL_URL to run the queries; PROBE_SECRET the value they carry.
 */
import net from 'node:net';

const connections: Array<{ host: string; port: number }> = [];
const connect = net.Socket.prototype.connect;
// Recorded before telemetry loads, so no exporter can open a socket unseen.
net.Socket.prototype.connect = function recordedConnect(this: net.Socket, ...args: unknown[]) {
  // net.connect passes its already normalised [options, callback] as one argument.
  const [first, second] = (Array.isArray(args[0]) ? args[0] : args) as [unknown, unknown];
  const options = (typeof first === 'object' && first !== null ? first : { port: first, host: typeof second === 'string' ? second : 'localhost' }) as {
    port?: unknown;
    host?: unknown;
  };
  connections.push({ host: String(options.host ?? 'localhost'), port: Number(options.port) });
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

async function main(): Promise<void> {
  const { startTelemetry, stopTelemetry, startSpan } = await import('@aisbf/telemetry');
  startTelemetry('telemetry-probe', process.env);
  const { context, propagation, SpanKind } = await import('@opentelemetry/api');
  // A caller's sampled traceparent: honoured even when AISBF exports nothing itself.
  const parent = propagation.extract(context.active(), { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
  const { span, context: active } = startSpan('telemetry probe', SpanKind.INTERNAL, {}, parent);
  const mysqlUrl = process.env.PROBE_MYSQL_URL;
  if (mysqlUrl) {
    const secret = process.env.PROBE_SECRET ?? '';
    const mysql = await import('mysql2/promise');
    await context.with(active, async () => {
      const connection = await mysql.createConnection(mysqlUrl);
      try {
        await connection.query('SELECT ? AS bound_value, 42 AS inline_number', [secret]);
        await connection.execute('SELECT CHAR_LENGTH(?) AS prepared_value', [secret]);
        await connection.query(`SELECT '${secret}' AS inline_value`);
      } finally {
        await connection.end();
      }
    });
  }
  span.end();
  await stopTelemetry();
  process.stdout.write(`${JSON.stringify({ connections })}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
