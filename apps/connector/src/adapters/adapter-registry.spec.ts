import { SecretBox } from '@aisbf/secrets';
import type { Candidate } from '@aisbf/contracts';
import { AdapterRegistry } from './adapter-registry';
import type { ChatAdapter } from './chat-adapter';

const adapter = {} as ChatAdapter;
const registry = (box: SecretBox | null) =>
  new AdapterRegistry(box, adapter as never, adapter as never, adapter as never, adapter as never, adapter as never);
const candidate = (sealedKey: string | null) => ({ providerId: 'p', sealedKey }) as unknown as Candidate;

describe('AdapterRegistry.openKey', () => {
  const box = new SecretBox('k'.repeat(40));

  it('opens each sealed key once and answers later calls from memory', () => {
    const open = jest.spyOn(box, 'open');
    const keys = registry(box);
    const sealed = box.seal('sk-first-0123456789');
    expect(keys.openKey(candidate(sealed))).toBe('sk-first-0123456789');
    expect(keys.openKey(candidate(sealed))).toBe('sk-first-0123456789');
    expect(open).toHaveBeenCalledTimes(1);
    // A rotated key is a new sealed value: it is opened, not served from the old entry.
    expect(keys.openKey(candidate(box.seal('sk-second-0123456789')))).toBe('sk-second-0123456789');
    open.mockRestore();
  });

  it('still refuses a key sealed under another secret, every time', () => {
    const sealed = new SecretBox('o'.repeat(40)).seal('sk-other-0123456789');
    const keys = registry(box);
    for (let i = 0; i < 2; i++) expect(() => keys.openKey(candidate(sealed))).toThrow(/cannot be opened/);
  });

  it('needs no key for a provider without one', () => {
    expect(registry(null).openKey(candidate(null))).toBeNull();
  });
});
