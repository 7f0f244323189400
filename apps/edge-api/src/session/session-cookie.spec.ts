import { clearedSessionCookie, readCookie, sessionCookie } from './session-cookie';

describe('session cookie', () => {
  it('reads one cookie among several and ignores look-alikes', () => {
    expect(readCookie('a=1; aisbf_session=abc; aisbf_session_x=zzz', 'aisbf_session')).toBe('abc');
    expect(readCookie('x_aisbf_session=1', 'aisbf_session')).toBeNull();
    expect(readCookie(undefined, 'aisbf_session')).toBeNull();
    expect(readCookie('aisbf_session=', 'aisbf_session')).toBeNull();
  });

  it('is httpOnly, SameSite=Strict, scoped to the whole site, Secure over HTTPS only', () => {
    expect(sessionCookie('id', 3600, false)).toBe('aisbf_session=id; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600');
    expect(sessionCookie('id', 3600, true)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toContain('Max-Age=0');
  });
});
