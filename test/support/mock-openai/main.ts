import { MockOpenAiServer } from './mock-openai-server';

/** Runs the mock upstream on its own: `node dist/test/support/mock-openai/main.js [port] [--chunks=N] [--no-record]`. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const port = Number(args.find((a) => /^\d+$/.test(a)) ?? 9999);
  const chunks = Number(args.find((a) => a.startsWith('--chunks='))?.split('=')[1] ?? 5);
  const server = new MockOpenAiServer('mock', { record: !args.includes('--no-record') }).setDefault({ chunks });
  await server.start(port);
  process.stdout.write(`mock OpenAI upstream listening on ${server.url}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
