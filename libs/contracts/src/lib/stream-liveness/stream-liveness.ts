/**
 * Liveness of a bus stream (connector chat, embeddings). While a responder works on a stream it
 * sends a heartbeat frame `firstBeatMs` after pickup and then every `heartbeatMs`, unless it sent
 * another frame within `heartbeatMs` (a frame is as good a sign of life), whether or not the
 * upstream says anything. A fast answer thus costs no heartbeat message at all. A caller that has
 * heard nothing at all for `timeoutMs` after the last sign of life (or for `firstBeatMs + timeoutMs`
 * after sending) knows the responder is gone (process killed, bus connection lost, request lost
 * with it) and ends the stream at once, instead of waiting for the upstream timeouts. Upstream
 * silence (a stalled backend) is told apart by the heartbeats that keep coming: that one still
 * ends on the idle timeout.
 */
export const STREAM_LIVENESS = {
  firstBeatMs: 50,
  heartbeatMs: 200,
  timeoutMs: 650,
} as const;
