import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS } from './logger';

describe('log redaction', () => {
  it('never writes tokens, keys or passwords', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({ headers: { authorization: 'Bearer sk-secret-1' }, provider: { api_key: 'sk-secret-2' }, token: 'sk-secret-3' }, 'x');
    logger.info({ headers: { 'x-api-key': 'sk-secret-4' }, upstream: { headers: { 'x-goog-api-key': 'sk-secret-5' } } }, 'x');
    expect(lines.join('')).not.toMatch(/sk-secret/);
    expect(lines.join('')).toContain('[redacted]');
  });
});
