import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { flushLogSync, LOG_FLUSH_MS, logDestination } from './log-destination';
import { createLogger } from './logger';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('log destination', () => {
  let dir: string;
  let file: string;
  let destination: ReturnType<typeof logDestination>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aisbf-log-'));
    file = path.join(dir, 'out.log');
    destination = logDestination(openSync(file, 'w'));
  });
  afterEach(async () => {
    // The destination owns the descriptor: ending it stops its flush timer and closes the file.
    await new Promise((resolve) => {
      destination.once('close', resolve);
      destination.end();
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a lone line within the flush interval, not at once', async () => {
    const logger = createLogger('test', 'info', destination);
    logger.info({ request_id: 'r-1' }, 'chat request');
    await sleep(20);
    expect(readFileSync(file, 'utf8')).toBe('');
    await sleep(LOG_FLUSH_MS + 150);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ service: 'test', request_id: 'r-1', msg: 'chat request' })]);
  });

  it('writes a full block without waiting for the interval, every line whole', async () => {
    const logger = createLogger('test', 'info', destination);
    for (let i = 0; i < 60; i++) logger.info({ request_id: `r-${i}`, route: 'user-provider/p/m' }, 'chat request');
    await sleep(40);
    const written = readFileSync(file, 'utf8');
    expect(written.length).toBeGreaterThanOrEqual(4096);
    const ids = written.trim().split('\n').map((line) => (JSON.parse(line) as { request_id: string }).request_id);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => `r-${i}`));
  });

  it("flushLogSync writes a logger's buffered lines at once, as at shutdown", () => {
    const logger = createLogger('test', 'info', destination);
    logger.info({ signal: 'SIGTERM' }, 'shutting down');
    flushLogSync(logger);
    expect(readFileSync(file, 'utf8')).toContain('"msg":"shutting down"');
  });

  it('flushLogSync ignores a logger without a buffer', () => {
    expect(() => flushLogSync(pino({ level: 'silent' }))).not.toThrow();
  });
});
