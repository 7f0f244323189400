import { AisbfError } from '@aisbf/contracts';
import { MemoryConcurrencyLimiter, MemoryRateLimiter } from '@aisbf/cache';
import type { AuthenticatedUser } from '@aisbf/persistence';
import { UsageLimits } from './usage-limits.service';

function limitsWith(env = { AISBF_RATE_LIMIT_USER_RPM: 0, AISBF_RATE_LIMIT_TOKEN_RPM: 0 }) {
  return new UsageLimits(new MemoryRateLimiter(), new MemoryConcurrencyLimiter(), env);
}

async function refusal(run: () => Promise<unknown>): Promise<AisbfError> {
  try {
    await run();
  } catch (error) {
    return error as AisbfError;
  }
  throw new Error('expected a refusal');
}

describe('UsageLimits', () => {
  const alice = (limits: AuthenticatedUser['limits'], tokenKey = 'key-1'): AuthenticatedUser => ({ username: 'alice', role: 'user', limits, tokenKey });

  it("uses the user's own request limit over the installation default, per user across tokens", async () => {
    const limits = limitsWith({ AISBF_RATE_LIMIT_USER_RPM: 100, AISBF_RATE_LIMIT_TOKEN_RPM: 0 });
    await limits.admit(alice({ requests_per_minute: 2 }, 'key-1'));
    await limits.admit(alice({ requests_per_minute: 2 }, 'key-2'));
    const error = await refusal(() => limits.admit(alice({ requests_per_minute: 2 }, 'key-3')));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toBe('rate limit reached for this user: 2 requests per minute');
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('limits each API token on its own', async () => {
    const limits = limitsWith();
    const user = { per_token: { requests_per_minute: 1 } };
    await limits.admit(alice(user, 'key-1'));
    await limits.admit(alice(user, 'key-2'));
    expect((await refusal(() => limits.admit(alice(user, 'key-1')))).message).toContain('API token: 1 requests per minute');
  });

  it('refuses new requests once the tokens of earlier answers exceed the per-minute budget', async () => {
    const limits = limitsWith();
    const user = alice({ tokens_per_minute: 1000 });
    await limits.admit(user);
    await limits.debitTokens(user, 600);
    await limits.admit(user);
    await limits.debitTokens(user, 600);
    const error = await refusal(() => limits.admit(user));
    expect(error.message).toBe('token budget reached for this user: 1000 tokens per minute');
    // 201 tokens over the burst, at 1,000 per minute: about 12 s.
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(12);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(13);
  });

  it('holds one stream slot per open stream, up to the limit', async () => {
    const limits = limitsWith();
    const user = alice({ max_concurrent_streams: 1 });
    expect(await limits.openStream(alice({}))).toBeNull();
    const lease = await limits.openStream(user);
    expect(lease).not.toBeNull();
    expect((await refusal(() => limits.openStream(user))).message).toBe('too many streams open for this user: at most 1 at a time');
    await lease!.release();
    expect(await limits.openStream(user)).not.toBeNull();
  });
});
