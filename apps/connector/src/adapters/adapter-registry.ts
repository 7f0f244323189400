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

/** The wire adapter of each provider type, and the one place where provider keys are opened. */
@Injectable()
export class AdapterRegistry {
  private readonly adapters: Record<Candidate['providerType'], ChatAdapter>;

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

  /** The plaintext key, for the duration of one call; it never leaves this process. */
  openKey(candidate: Candidate): string | null {
    if (!candidate.sealedKey) return null;
    if (!this.box) throw new AisbfError('internal_error', 'connector has no AISBF_SECRET_KEY to open provider keys');
    try {
      return this.box.open(candidate.sealedKey);
    } catch {
      throw new AisbfError('internal_error', `provider ${candidate.providerId}: key cannot be opened with this AISBF_SECRET_KEY`);
    }
  }
}
