import type { StreamChunks } from '@aisbf/bus';
import { ChatEnd } from '@aisbf/contracts';
import { ChatCompletionRequest, OpenAiChatCompletion, StreamTranslator } from '@aisbf/llm-wire';
import { UpstreamHttp } from '../upstream/upstream-http';
import { AdapterCall } from './chat-adapter';
import { chatRequestOf, clientWantsUsage, completionFrame, EventDecoder, malformedAnswer, relayStream } from './stream-relay';

/** What a translated wire says about one chat call. */
export interface ChatWire {
  /** Where and what to send for this OpenAI request. */
  exchange(request: ChatCompletionRequest): { url: string; headers: Record<string, string>; body: unknown };
  /** The whole answer as an OpenAI completion; throws when the answer is not of the wire's shape. */
  completion(json: unknown): OpenAiChatCompletion;
  /** How the wire's stream is split into events, and the translator of those events. */
  stream(includeUsage: boolean): { decoder: EventDecoder; translator: StreamTranslator };
}

/** A chat call on a wire that is not OpenAI's: the request translated out, the answer (or stream) translated back. */
export async function* translatedChat(http: UpstreamHttp, call: AdapterCall, wire: ChatWire): AsyncGenerator<StreamChunks, ChatEnd, undefined> {
  const { candidate, apiKey, signal } = call;
  const request = chatRequestOf(call.body);
  const upstream = await http.send(candidate, apiKey, { method: 'POST', ...wire.exchange(request), signal });
  if (request.stream !== true) {
    const json = await http.json(candidate, upstream, signal);
    let completion: OpenAiChatCompletion;
    try {
      completion = wire.completion(json);
    } catch {
      throw malformedAnswer(candidate, 'an answer that is not a completion');
    }
    return yield* completionFrame(completion, upstream);
  }
  const { decoder, translator } = wire.stream(clientWantsUsage(call.body));
  return yield* relayStream(candidate, apiKey, signal, upstream, decoder, translator);
}
