import { Injectable, OnModuleInit } from '@nestjs/common';
import { ClassifyReply, classifyRequestSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { scanMessages } from './privacy-detectors';

@Injectable()
export class ClassifyHandler implements OnModuleInit {
  constructor(private readonly bus: BusServer) {}

  onModuleInit(): void {
    this.bus.onRequest(SUBJECTS.classify, classifyRequestSchema, async (request): Promise<ClassifyReply> => {
      const started = performance.now();
      const signals = request.classifyPrivacy ? scanMessages(request.messages) : [];
      return { private: signals.length > 0, signals, durationMs: performance.now() - started };
    });
  }
}
