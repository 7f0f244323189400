import { MockOpenAiServer } from './mock-openai-server';

/** Runs the mock upstream on its own: `node dist/test/support/mock-openai/main.js [port]`. */
async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 9999);
  const server = await new MockOpenAiServer('mock').start(port);
  process.stdout.write(`mock OpenAI upstream listening on ${server.url}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
