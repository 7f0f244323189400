import { Injectable } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { LRUCache } from 'lru-cache';
import type { ClassifyReply, ParsedClassifyRequest, PrivacySignal, SelectionResult } from '@aisbf/contracts';
import { scanConversation } from '../privacy/privacy-scanner';
import { CustomRules } from '../privacy/custom-rules';
import { selectionStep } from '../selection/model-selection';
import { LlmSelectorService } from '../selection/llm-selector';

/** Privacy first, then the model: the selection only ever considers what the privacy verdict allows. */
@Injectable()
export class ClassifyService {
  private readonly customRules = new LRUCache<string, CustomRules>({ max: 512 });

  constructor(private readonly llm: LlmSelectorService) {}

  async classify(request: ParsedClassifyRequest): Promise<ClassifyReply> {
    const started = performance.now();
    const signals = this.scan(request);
    const isPrivate = signals.length > 0;
    let selection: SelectionResult | null = null;
    if (request.selection) {
      const step = selectionStep(request.selection, request.messages, isPrivate);
      selection = 'done' in step ? step.done : await this.llm.select(step.ask, step.candidates, request.messages);
    }
    const durationMs = performance.now() - started;
    // What was decided, never on what text: detector names and counts only.
    trace.getActiveSpan()?.setAttributes({
      'aisbf.classify.policy': request.policy,
      'aisbf.classify.private': isPrivate,
      'aisbf.classify.signal_count': signals.length,
      'aisbf.classify.detectors': [...new Set(signals.map((s) => s.detector))].join(','),
      'aisbf.classify.messages': request.messages.length,
      ...(selection
        ? { 'aisbf.classify.selection.method': selection.method, 'aisbf.classify.selection.model': selection.modelId ?? '' }
        : {}),
      'aisbf.classify.duration_ms': durationMs,
    });
    return { private: isPrivate, signals, selection, durationMs };
  }

  private scan(request: ParsedClassifyRequest): PrivacySignal[] {
    if (!request.classifyPrivacy) return [];
    if (request.customPatterns.length === 0 && request.customKeywords.length === 0) {
      return scanConversation(request.messages, request.messageOffset);
    }
    const key = JSON.stringify([request.customPatterns, request.customKeywords]);
    let rules = this.customRules.get(key);
    if (!rules) {
      rules = new CustomRules(request.customPatterns, request.customKeywords);
      this.customRules.set(key, rules);
    }
    return scanConversation(request.messages, request.messageOffset, [rules]);
  }
}
