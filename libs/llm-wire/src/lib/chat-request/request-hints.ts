import type { ChatCompletionRequest } from './chat-request.schema';

/** What a request needs from a backend, for routing decisions (capability filters). */
export function requestHints(body: ChatCompletionRequest): { stream: boolean; tools: boolean; images: boolean } {
  let images = false;
  for (const message of body.messages) {
    const content = (message as { content?: unknown }).content;
    if (Array.isArray(content) && content.some((part) => (part as { type?: string }).type === 'image_url')) {
      images = true;
      break;
    }
  }
  return {
    stream: body.stream === true,
    tools: (body.tools?.length ?? 0) > 0 || (body.functions?.length ?? 0) > 0,
    images,
  };
}
