export * from './lib/chat-request/chat-request.schema';
export * from './lib/chat-request/request-hints';
export * from './lib/chat-request/openai-message-parts';
export * from './lib/chat-completion/openai-chat-completion';
export * from './lib/chat-completion/stream-translator';
export * from './lib/chat-completion/openai-stream-passthrough';
export * from './lib/anthropic/anthropic-request';
export * from './lib/anthropic/anthropic-response';
export * from './lib/anthropic/anthropic-stream';
export * from './lib/gemini/gemini-request';
export * from './lib/gemini/gemini-response';
export * from './lib/gemini/gemini-stream';
export * from './lib/gemini/gemini-embeddings';
export * from './lib/ollama/ollama-request';
export * from './lib/ollama/ollama-response';
export * from './lib/ollama/ollama-stream';
export * from './lib/ollama/ollama-embeddings';
export * from './lib/embeddings/embeddings-request.schema';
export * from './lib/embeddings/openai-embeddings';
export * from './lib/ndjson/ndjson-decoder';
export * from './lib/sse/sse-decoder';
export * from './lib/sse/sse-encoder';
export * from './lib/sse/stream-preamble';
export * from './lib/openai-error/openai-error-body';
<<<<<<< HEAD
export * from './lib/chat-request/classification-messages';
=======
export * from './lib/validation/parse-request-body';
>>>>>>> main
