import { Injectable, OnModuleInit } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { ClassifyReply, classifyRequestSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { AISBF_ATTR, AisbfMetrics } from '@aisbf/telemetry';
import { scanMessages } from './privacy-detectors';

const METHOD = 'detectors';

@Injectable()
export class ClassifyHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    private readonly metrics: AisbfMetrics,
  ) {}

  onModuleInit(): void {
    this.bus.onRequest(SUBJECTS.classify, classifyRequestSchema, async (request): Promise<ClassifyReply> => {
      const started = performance.now();
      const signals = request.classifyPrivacy ? scanMessages(request.messages) : [];
      const reply: ClassifyReply = { private: signals.length > 0, signals, durationMs: performance.now() - started };
      if (request.classifyPrivacy) this.record(reply);
      return reply;
    });
  }

  /** The verdict and which detectors fired, by name: never the text they matched. */
  private record(reply: ClassifyReply): void {
    this.metrics.m.classifierDecisions.inc({ kind: 'privacy', decision: reply.private ? 'private' : 'public', method: METHOD });
    this.metrics.m.classifierDuration.observe({ kind: 'privacy', method: METHOD }, reply.durationMs / 1000);
    trace.getActiveSpan()?.setAttributes({
      [AISBF_ATTR.privacyPrivate]: reply.private,
      [AISBF_ATTR.privacySignalCount]: reply.signals.length,
      [AISBF_ATTR.privacyDetectors]: [...new Set(reply.signals.map((signal) => signal.detector))],
      [AISBF_ATTR.classifierMethod]: METHOD,
    });
  }
}
