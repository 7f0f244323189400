import type { ChatCompletionRequest } from '../chat-request/chat-request.schema';
import {
  contentParts,
  contentText,
  maxOutputTokens,
  mediaTypeFromUrl,
  numericExtension,
  parseDataUrl,
  parseToolArguments,
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
  const system: string[] = [];
  const contents: GeminiContent[] = [];
  const append = (role: GeminiContent['role'], parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  body.messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(contentText(message.content));
        break;
      case 'user':
        append('user', userParts(message.content, index));
        break;
      case 'assistant': {
        const parts: GeminiPart[] = [];
        const text = contentText(message.content);
        if (text) parts.push({ text });
        (message.tool_calls ?? []).forEach((call, callIndex) =>
          parts.push({
            functionCall: {
              name: call.function.name,
              args: parseToolArguments(call.function.arguments, `messages[${index}].tool_calls[${callIndex}].function.arguments`),
            },
          }),
        );
        append('model', parts);
        break;
      }
      case 'tool': {
        const name = names.get(message.tool_call_id);
        if (!name) rejectUnsupported(WIRE, 'a tool message whose tool_call_id matches no earlier tool call', `messages[${index}].tool_call_id`);
        append('user', [{ functionResponse: { name, response: functionResponse(contentText(message.content)) } }]);
        break;
      }
      case 'function':
        append('user', [{ functionResponse: { name: message.name, response: functionResponse(message.content ?? '') } }]);
    }
  });

  const out: Record<string, unknown> = { contents };
  const systemText = system.filter(Boolean).join('\n\n');
  if (systemText) out.systemInstruction = { parts: [{ text: systemText }] };
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
