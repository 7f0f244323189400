/**
 * Liveness of a bus stream (connector chat, embeddings). While a responder works on a stream it
 * sends a heartbeat frame at once and then every `heartbeatMs` unless it sent another frame within
 * `heartbeatMs` (a frame is as good a sign of life), whether or not the upstream says anything; a
 * caller that has heard one heartbeat and then nothing at all for `timeoutMs` knows
 * the responder is gone (process killed, bus connection lost) and ends the stream at once, instead
 * of waiting for the upstream idle timeout. Upstream silence (a stalled backend) is told apart by
 * the heartbeats that keep coming: that one still ends on the idle timeout.
 */
export const STREAM_LIVENESS = {
  heartbeatMs: 200,
  timeoutMs: 650,
} as const;
