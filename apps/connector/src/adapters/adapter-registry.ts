import { Inject, Injectable } from '@nestjs/common';
import { AisbfError, Candidate } from '@aisbf/contracts';
import { SecretBox } from '@aisbf/secrets';
import { ChatAdapter } from './chat-adapter';
import { OpenAiAdapter } from './openai/openai-adapter';
import { AnthropicAdapter } from './anthropic/anthropic-adapter';
import { GeminiAdapter } from './gemini/gemini-adapter';
import { OllamaAdapter } from './ollama/ollama-adapter';
import { DemoAdapter } from './demo/demo-adapter';

export const CONNECTOR_SECRET_BOX = Symbol('CONNECTOR_SECRET_BOX');

/** Opened keys kept per sealed value: a rotated key is a new sealed value, so none goes stale. */
const OPENED_KEYS_MAX = 512;

/** The wire adapter of each provider type, and the one place where provider keys are opened. */
@Injectable()
export class AdapterRegistry {
  private readonly adapters: Record<Candidate['providerType'], ChatAdapter>;
  // Opening costs an AES-GCM decipher per call; the plaintext never leaves this process either way.
  private readonly opened = new Map<string, string>();

  constructor(
    @Inject(CONNECTOR_SECRET_BOX) private readonly box: SecretBox | null,
    openai: OpenAiAdapter,
    anthropic: AnthropicAdapter,
    gemini: GeminiAdapter,
    ollama: OllamaAdapter,
    demo: DemoAdapter,
  ) {
    this.adapters = { openai, anthropic, gemini, ollama, demo };
  }

  adapter(candidate: Candidate): ChatAdapter {
    const adapter = this.adapters[candidate.providerType];
    if (!adapter) {
      throw new AisbfError('upstream_error', `provider type '${candidate.providerType}' is not served by this connector`, { retryable: true });
    }
    return adapter;
  }

  /** The plaintext key of a candidate; it never leaves this process. */
  openKey(candidate: Candidate): string | null {
    if (!candidate.sealedKey) return null;
    if (!this.box) throw new AisbfError('internal_error', 'connector has no AISBF_SECRET_KEY to open provider keys');
    const cached = this.opened.get(candidate.sealedKey);
    if (cached !== undefined) return cached;
    try {
      const key = this.box.open(candidate.sealedKey);
      if (this.opened.size >= OPENED_KEYS_MAX) this.opened.delete(this.opened.keys().next().value as string);
      this.opened.set(candidate.sealedKey, key);
      return key;
    } catch {
      throw new AisbfError('internal_error', `provider ${candidate.providerId}: key cannot be opened with this AISBF_SECRET_KEY`);
    }
  }
}
