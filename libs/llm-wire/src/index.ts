export * from './lib/chat-request/chat-request.schema';
export * from './lib/chat-request/request-hints';
export * from './lib/sse/sse-decoder';
export * from './lib/sse/sse-encoder';
export * from './lib/sse/stream-preamble';
export * from './lib/openai-error/openai-error-body';
export * from './lib/chat-request/classification-messages';
