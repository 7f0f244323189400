import type { ChatCompletionRequest } from '../chat-request/chat-request.schema';
import { conversationTurns } from '../chat-request/conversation-turns';
import {
  contentParts,
  maxOutputTokens,
  mediaTypeFromUrl,
  numericExtension,
  parseDataUrl,
  rejectUnsupported,
  stopSequences,
  toolNamesById,
} from '../chat-request/openai-message-parts';

export type GeminiPart =
  | { text: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { mimeType: string; fileUri: string } }
  | { functionCall: { name: string; args: Record<string, unknown> } }
  | { functionResponse: { name: string; response: Record<string, unknown> } };

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

const WIRE = 'Gemini';
const AUDIO_TYPES: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mp3' };

/** `models/{id}` resource name of a model id (tuned models and full names are kept as they are). */
export function geminiModelResource(model: string): string {
  return model.includes('/') ? model : `models/${model}`;
}

function userParts(content: unknown, index: number): GeminiPart[] {
  return contentParts(content).flatMap((part, partIndex): GeminiPart[] => {
    const param = `messages[${index}].content[${partIndex}]`;
    switch (part.type) {
      case 'text':
        return part.text ? [{ text: part.text }] : [];
      case 'image_url': {
        const data = parseDataUrl(part.image_url.url);
        return [
          data
            ? { inlineData: { mimeType: data.mediaType, data: data.base64 } }
            : { fileData: { mimeType: mediaTypeFromUrl(part.image_url.url), fileUri: part.image_url.url } },
        ];
      }
      case 'input_audio':
        return [{ inlineData: { mimeType: AUDIO_TYPES[part.input_audio.format] ?? `audio/${part.input_audio.format}`, data: part.input_audio.data } }];
      case 'file': {
        const data = part.file.file_data ? parseDataUrl(part.file.file_data) : null;
        if (!data) return rejectUnsupported(WIRE, 'files other than inline data: URLs', param);
        return [{ inlineData: { mimeType: data.mediaType, data: data.base64 } }];
      }
      default:
        return [];
    }
  });
}

/** A tool message's content as the object Gemini's functionResponse wants. */
function functionResponse(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // plain text result
  }
  return { output: text };
}

function toolConfig(body: ChatCompletionRequest): Record<string, unknown> | undefined {
  const choice = body.tool_choice;
  if (!choice) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
}

function generationConfig(body: ChatCompletionRequest): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (body.temperature != null) config.temperature = body.temperature;
  if (body.top_p != null) config.topP = body.top_p;
  const topK = numericExtension(body, 'top_k');
  if (topK !== undefined) config.topK = topK;
  const max = maxOutputTokens(body);
  if (max !== undefined) config.maxOutputTokens = max;
  const stop = stopSequences(body);
  if (stop?.length) config.stopSequences = stop;
  if (body.n != null) config.candidateCount = body.n;
  if (body.seed != null) config.seed = body.seed;
  if (body.presence_penalty != null) config.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) config.frequencyPenalty = body.frequency_penalty;
  const format = body.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    if (format.json_schema.schema) config.responseJsonSchema = format.json_schema.schema;
  }
  return config;
}

/**
 * An OpenAI Chat Completions body as a Gemini `generateContent` body: system and developer
 * messages become `systemInstruction`, assistant turns `model` turns, tool calls `functionCall`
 * parts and tool messages `functionResponse` parts (named after the call they answer).
 */
export function toGeminiRequest(body: ChatCompletionRequest): Record<string, unknown> {
  const names = toolNamesById(body.messages);
  const { system, turns } = conversationTurns<GeminiPart>(body, WIRE, {
    text: (text) => ({ text }),
    userContent: userParts,
    toolCall: ({ name, args }) => ({ functionCall: { name, args } }),
    toolResult: ({ toolCallId, text }, index) => {
      const name = names.get(toolCallId);
      if (!name) rejectUnsupported(WIRE, 'a tool message whose tool_call_id matches no earlier tool call', `messages[${index}].tool_call_id`);
      return { functionResponse: { name, response: functionResponse(text) } };
    },
  });
  const contents: GeminiContent[] = turns.map((turn) => ({ role: turn.role === 'assistant' ? 'model' : 'user', parts: turn.items }));

  const out: Record<string, unknown> = { contents };
  if (system) out.systemInstruction = { parts: [{ text: system }] };
  if (body.tools?.length) {
    out.tools = [
      {
        functionDeclarations: body.tools.map((tool) => ({
          name: tool.function.name,
          ...(tool.function.description ? { description: tool.function.description } : {}),
          // Full JSON Schema, as OpenAI tools carry it (the older `parameters` field takes only an OpenAPI subset).
          ...(tool.function.parameters ? { parametersJsonSchema: tool.function.parameters } : {}),
        })),
      },
    ];
    const config = toolConfig(body);
    if (config) out.toolConfig = config;
  }
  const generation = generationConfig(body);
  if (Object.keys(generation).length) out.generationConfig = generation;
  return out;
}
