/** Every bus subject AISBF uses. No subject string appears anywhere else. */
export const SUBJECTS = {
  routeResolve: 'aisbf.route.resolve',
  routeModels: 'aisbf.route.models',
  routeExplain: 'aisbf.route.explain',
  routeOutcome: 'aisbf.route.outcome',
  routeCircuitChanged: 'aisbf.route.circuit.changed',
  classify: 'aisbf.classify',
  connectorChat: (pool: string) => `aisbf.connector.${pool}.chat`,
  connectorModels: (pool: string) => `aisbf.connector.${pool}.models`,
  connectorEmbeddings: (pool: string) => `aisbf.connector.${pool}.embeddings`,
  requestCancel: (requestId: string) => `aisbf.request.cancel.${requestId}`,
  requestCancelAll: 'aisbf.request.cancel.*',
  configChanged: 'aisbf.config.changed',
  authFailed: 'aisbf.auth.failed',
} as const;

/** NATS header names carried on AISBF messages. */
export const BUS_HEADERS = {
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  deadline: 'aisbf-deadline',
  status: 'aisbf-status',
  /** Stream frame kind: chunk, end, last (a chunk and the end), error, or heartbeat (no sequence number, see STREAM_LIVENESS). */
  frame: 'aisbf-frame',
  seq: 'aisbf-seq',
  /** The end payload (JSON) of a `last` frame, whose data is the final chunk. */
  end: 'aisbf-end',
  /**
   * Byte lengths (`12,40,...`) of the chunks a chunk or last frame carries back to back: chunks
   * produced together (from one upstream read) share one message.
   */
  sizes: 'aisbf-sizes',
  /**
   * Sent with a stream request: the caller's inbox prefix. The responder then sends the heartbeats
   * of all its streams to that caller as one message to `<prefix>.beats` (see STREAM_LIVENESS)
   * instead of one per stream; without it (an older caller), each stream beats on its own.
   */
  beats: 'aisbf-beats',
} as const;
