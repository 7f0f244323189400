import 'reflect-metadata';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { TelemetryModule } from '../telemetry.module';
import { logDestination } from './log-destination';
import { createLogger } from './logger';

describe('log flush at shutdown', () => {
  it('writes the lines still waiting for their block when the service context closes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aisbf-log-'));
    const file = path.join(dir, 'out.log');
    const destination = logDestination(openSync(file, 'w'));
    try {
      const logger = createLogger('test', 'info', destination);
      const app = await NestFactory.createApplicationContext(TelemetryModule.forRoot({ logger }), { logger: false });
      logger.info({ request_id: 'r-last' }, 'chat request');
      expect(readFileSync(file, 'utf8')).toBe('');
      await app.close();
      // Well within the 200 ms a block may wait: the line is out because the context closed.
      expect(readFileSync(file, 'utf8')).toContain('"request_id":"r-last"');
    } finally {
      await new Promise((resolve) => {
        destination.once('close', resolve);
        destination.end();
      });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
