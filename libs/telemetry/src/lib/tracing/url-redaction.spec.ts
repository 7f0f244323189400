import { redactedUrlAttributes } from './url-redaction';

describe('URL attributes on spans', () => {
  it('keep the path and parameter names but no query value or user info', () => {
    const attributes = redactedUrlAttributes('/v1beta/models/gemini:generateContent?key=AIza-secret-1&alt=sse', 'https://user:pw@example.com');
    expect(attributes['url.full']).toBe('https://example.com/v1beta/models/gemini:generateContent?key=REDACTED&alt=REDACTED');
    expect(attributes['url.query']).toBe('key=REDACTED&alt=REDACTED');
    expect(JSON.stringify(attributes)).not.toMatch(/AIza-secret-1|pw/);
  });

  it('leave URLs without a query as they are', () => {
    expect(redactedUrlAttributes('http://127.0.0.1:8080/v1/chat/completions')).toEqual({ 'url.full': 'http://127.0.0.1:8080/v1/chat/completions' });
  });
});
