import { hashToken, maskSecret, SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('x'.repeat(40));

  it('round-trips and never emits the plaintext', () => {
    const sealed = box.seal('sk-live-123456789');
    expect(sealed).not.toContain('sk-live');
    expect(box.open(sealed)).toBe('sk-live-123456789');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses tampered or foreign ciphertexts', () => {
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    parts[2] = Buffer.from('other').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new SecretBox('y'.repeat(40)).open(sealed)).toThrow();
    expect(() => new SecretBox('short')).toThrow(/32 characters/);
  });

  it('hashes tokens and masks keys', () => {
    expect(hashToken('abc')).toHaveLength(64);
    expect(maskSecret('sk-abcdefghijkl')).toBe('sk-…ijkl');
  });
});
