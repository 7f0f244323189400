/**
 * Liveness of a bus stream (connector chat, embeddings). While a responder works on a stream it
 * sends a heartbeat frame `firstBeatMs` after pickup and then every `heartbeatMs`, unless it sent
 * another frame within `heartbeatMs` (a frame is as good a sign of life), whether or not the
 * upstream says anything. A fast answer thus costs no heartbeat message at all. A caller that has
 * heard nothing at all for `timeoutMs` after the last sign of life (or for `pickupMs + timeoutMs`
 * after sending) knows the responder is gone (process killed, bus connection lost, request lost
 * with it) and ends the stream at once, instead of waiting for the upstream timeouts. Upstream
 * silence (a stalled backend) is told apart by the heartbeats that keep coming: that one still
 * ends on the idle timeout. A responder sends the beats due for one caller's streams together, as
 * one message listing them (BUS_HEADERS.beats): the cost of liveness follows the number of callers,
 * not the number of open streams. `pickupMs` is far above `firstBeatMs`: a responder working through a
 * burst of requests picks the last of them up late, and is not gone for that.
 */
export const STREAM_LIVENESS = {
  firstBeatMs: 50,
  pickupMs: 2_000,
  heartbeatMs: 200,
  timeoutMs: 650,
} as const;
