import { Injectable, OnModuleInit } from '@nestjs/common';
import { ClassifyReply, classifyRequestSchema, ParsedClassifyRequest, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { AisbfMetrics } from '@aisbf/telemetry';
import { ClassifyService } from './classify.service';

@Injectable()
export class ClassifyHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    private readonly classifier: ClassifyService,
    private readonly metrics: AisbfMetrics,
  ) {}

  onModuleInit(): void {
    this.bus.onRequest(SUBJECTS.classify, classifyRequestSchema, async (request) => {
      const reply = await this.classifier.classify(request);
      this.record(request, reply);
      return reply;
    });
  }

  /** Verdicts and methods only: never what was matched or said. */
  private record(request: ParsedClassifyRequest, reply: ClassifyReply): void {
    const m = this.metrics.m;
    if (request.classifyPrivacy) m.classifierDecisions.inc({ kind: 'privacy', decision: reply.private ? 'private' : 'public', method: 'detectors' });
    const selection = reply.selection;
    if (selection) {
      m.classifierDecisions.inc({ kind: 'selection', decision: selection.modelId ? 'selected' : 'fallback', method: selection.method });
    }
    m.classifierDuration.observe({ kind: selection ? 'selection' : 'privacy', method: selection?.method ?? 'detectors' }, reply.durationMs / 1000);
  }
}
