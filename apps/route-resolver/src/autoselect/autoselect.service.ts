import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  AisbfError,
  AutoselectDecision,
  Candidate,
  ClassifyReply,
  ClassifyRequest,
  parseModelId,
  PrivacySignal,
  RequestHints,
  RouteExplanation,
  RoutePlan,
  RouteResolveRequest,
  SelectionCandidate,
  SelectionResult,
  Selector,
  SUBJECTS,
} from '@aisbf/contracts';
import { BusClient } from '@aisbf/bus';
import {
  AutoselectConfig,
  AutoselectEntry,
  autoselectEntries,
  conversationKeys,
  decideAutoselect,
  eligibleEntries,
  fallbackEntry,
  policyFingerprint,
  routePrivacy,
  selectorRouteId,
  UserRouteConfig,
} from '@aisbf/routing';
import { PlanBuilderService } from '../resolve/plan-builder.service';
import { AUTOSELECT_OPTIONS, AutoselectOptions } from './autoselect-options';
import { CacheLookup, Computed, DecisionCache } from './decision-cache';
import type { StoredDecision } from './decision-store';

const tracer = trace.getTracer('aisbf-autoselect');
const MAX_SIGNALS = 64;

interface PolicyContext {
  username: string;
  name: string;
  policy: AutoselectConfig;
  config: UserRouteConfig;
  entries: AutoselectEntry[];
  fallback: AutoselectEntry;
  hints: RequestHints;
}

function describeSignals(signals: readonly PrivacySignal[]): string {
  const byDetector = new Map<string, Set<number>>();
  for (const signal of signals) {
    const messages = byDetector.get(signal.detector) ?? new Set<number>();
    messages.add(signal.messageIndex);
    byDetector.set(signal.detector, messages);
  }
  return [...byDetector].map(([detector, messages]) => `${detector} in message ${[...messages].join(', ')}`).join('; ');
}

/**
 * `user-autoselect/{name}`: classify the conversation, let the policy choose, then plan the chosen
 * route like any other (through PlanBuilderService). Privacy is enforced here, after the
 * classifier, whatever any selector said: a private request only reaches private routes.
 */
@Injectable()
export class AutoselectService implements OnApplicationShutdown {
  private readonly cache: DecisionCache;

  constructor(
    private readonly plans: PlanBuilderService,
    private readonly bus: BusClient,
    @Inject(AUTOSELECT_OPTIONS) private readonly options: AutoselectOptions,
  ) {
    this.cache = new DecisionCache(options.store, options.cacheTtlSeconds);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.options.store.close();
  }

  async plan(request: RouteResolveRequest, name: string): Promise<RoutePlan> {
    return tracer.startActiveSpan('aisbf.autoselect', async (span) => {
      try {
        const plan = await this.planInSpan(request, name);
        const decision = plan.classification!;
        // The decision, never the text: detector names, the chosen route, how and how sure.
        span.setAttributes({
          'aisbf.autoselect.policy': name,
          'aisbf.autoselect.private': decision.private,
          'aisbf.autoselect.classified': decision.classified,
          'aisbf.autoselect.signals': [...new Set(decision.signals.map((s) => s.detector))].join(','),
          'aisbf.autoselect.selected': decision.selected,
          'aisbf.autoselect.method': decision.method,
          'aisbf.autoselect.confidence': decision.confidence,
          'aisbf.autoselect.cache': decision.cache,
          ...(decision.degraded ? { 'aisbf.autoselect.degraded': decision.degraded } : {}),
        });
        return plan;
      } catch (error) {
        const failure = AisbfError.from(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: failure.code });
        span.setAttributes({ 'aisbf.autoselect.policy': name, 'error.type': failure.code });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /**
   * A dry run: the decision this conversation would get (its cached one, or a fresh one made with
   * the local scorer, so no model is asked) and the explanation of the chosen route's plan.
   */
  async explain(request: RouteResolveRequest, name: string): Promise<RouteExplanation> {
    const ctx = await this.context(request, name);
    const { decision, explanation } = await this.decide(ctx, request.messages, true);
    const target = await this.plans.explain(
      { username: request.username, model: decision.selected, hints: request.hints, maxCandidates: request.maxCandidates },
      { requirePrivate: decision.private },
    );
    return {
      ...target,
      route: request.model,
      kind: 'autoselect',
      require_private: decision.private,
      classification: decision,
      explanation: [...explanation, ...target.explanation.map((line) => `${decision.selected}: ${line}`)],
    };
  }

  private async context(request: RouteResolveRequest, name: string): Promise<PolicyContext> {
    const config = await this.plans.userConfig(request.username);
    const policy = config.autoselects.get(name);
    if (!policy) throw new AisbfError('model_not_found', `autoselect '${name}' does not exist`, { param: 'model' });
    return {
      username: request.username,
      name,
      policy,
      config,
      entries: autoselectEntries(config, policy, parseModelId),
      fallback: fallbackEntry(config, policy, parseModelId),
      hints: request.hints,
    };
  }

  private async planInSpan(request: RouteResolveRequest, name: string): Promise<RoutePlan> {
    const ctx = await this.context(request, name);
    const { decision, explanation } = await this.decide(ctx, request.messages, false);
    return this.planTargets(ctx, request, decision, explanation);
  }

  private async decide(
    ctx: PolicyContext,
    messages: RouteResolveRequest['messages'],
    dryRun: boolean,
  ): Promise<{ decision: AutoselectDecision; explanation: string[] }> {
    const scope = [
      ctx.username,
      ctx.name,
      policyFingerprint([ctx.policy, ctx.entries, ctx.fallback, this.selectorTarget(ctx)]),
      `${ctx.hints.tools}:${ctx.hints.images}`,
    ].join('\u0000');
    const conversation = messages ?? [];
    const keys = conversationKeys(scope, conversation);
    const lookup: CacheLookup = messages === undefined ? { kind: 'miss' } : await this.cache.lookup(keys);
    let stored: StoredDecision;
    let cache: AutoselectDecision['cache'];
    if (lookup.kind === 'hit') {
      stored = lookup.decision;
      cache = 'hit';
    } else if (dryRun) {
      // Nothing stored, nothing asked of a selection model: the local scorer stands in.
      stored = (await this.compute(ctx, messages, lookup.kind === 'prefix' ? lookup.decision : null, true)).decision;
      cache = 'miss';
    } else {
      const prefix = lookup.kind === 'prefix' ? lookup.decision : null;
      const computed = await this.cache.once(keys.at(-1) ?? scope, this.classifyBudgetMs(ctx), () => this.compute(ctx, messages, prefix, false));
      stored = computed.decision;
      cache = computed.coalesced ? 'coalesced' : prefix ? 'prefix' : 'miss';
    }
    const decision: AutoselectDecision = {
      policy: ctx.name,
      classified: stored.classified,
      private: stored.private,
      signals: stored.signals,
      selected: stored.selected,
      method: stored.method,
      confidence: stored.confidence,
      cache,
      ...(stored.degraded ? { degraded: stored.degraded } : {}),
    };
    let privacy: string;
    if (stored.degraded) privacy = `held private (${stored.degraded})`;
    else if (!stored.classified) privacy = 'privacy not classified (classify_privacy is off)';
    else if (stored.private) privacy = `private request (${describeSignals(stored.signals)}): only private routes allowed`;
    else privacy = `no private data found in ${conversation.length} message(s)`;
    const explanation = [
      `autoselect '${ctx.name}': ${privacy}`,
      ...stored.reasons,
      `selected ${stored.selected} (method ${stored.method}, confidence ${stored.confidence.toFixed(2)}, cache ${cache})`,
    ];
    return { decision, explanation };
  }

  /** Classifies what is new in the conversation, then applies the policy. */
  private async compute(ctx: PolicyContext, messages: RouteResolveRequest['messages'], prefix: StoredDecision | null, localOnly: boolean): Promise<Computed> {
    const { policy } = ctx;
    const reasons: string[] = [];
    let degraded: string | undefined;
    if (prefix) reasons.push(`an earlier turn of this conversation was ${prefix.private ? 'private' : 'not private'} and chose ${prefix.selected}`);
    const conversation = messages ?? [];
    const offset = prefix?.messageCount ?? 0;
    const candidates = eligibleEntries(ctx.entries, false, ctx.hints).map(
      (e): SelectionCandidate => ({ modelId: e.modelId, description: e.description, private: e.private, priority: e.priority, capabilities: e.capabilities }),
    );
    let selector: Selector | null = null;
    let selectorProblem: SelectionResult | null = null;
    if (policy.classify_semantic && candidates.length > 0) {
      const resolved = localOnly ? { selector: { mode: 'local' } as Selector } : await this.resolveSelector(ctx);
      if ('problem' in resolved) selectorProblem = resolved.problem;
      else selector = resolved.selector;
    }
    const needsClassifier = (policy.classify_privacy && messages !== undefined) || selector !== null;
    let reply: ClassifyReply | null = null;
    if (needsClassifier) {
      const request: ClassifyRequest = {
        username: ctx.username,
        policy: ctx.name,
        messages: conversation.slice(offset),
        messageOffset: offset,
        classifyPrivacy: policy.classify_privacy,
        customPatterns: policy.custom_patterns ?? [],
        customKeywords: policy.custom_keywords ?? [],
        ...(selector
          ? {
              selection: {
                selector,
                candidates,
                fallback: policy.fallback,
                ...(prefix ? { previous: { modelId: prefix.selected, method: prefix.method, confidence: prefix.confidence } } : {}),
              },
            }
          : {}),
      };
      try {
        reply = (await this.bus.request(SUBJECTS.classify, request, { timeoutMs: this.classifyBudgetMs(ctx) })) as ClassifyReply;
      } catch (error) {
        // Without a verdict the request is treated as private: a broker must not guess in favour of leaking.
        degraded = 'classifier_unavailable';
        reasons.push(`classifier unavailable (${AisbfError.from(error).code}): request held private`);
      }
    }
    const classified = policy.classify_privacy;
    const isPrivate = classified && (prefix?.private === true || !reply || reply.private || messages === undefined);
    const signals = [...(prefix?.signals ?? []), ...(reply?.signals ?? [])].slice(0, MAX_SIGNALS);
    if (messages === undefined && classified) {
      degraded = 'no_messages';
      reasons.push('no conversation was sent to classify: request held private');
    }
    const proposal = selectorProblem ?? reply?.selection ?? null;
    const outcome = decideAutoselect({ policy: ctx.name, entries: ctx.entries, fallback: ctx.fallback, isPrivate, needs: ctx.hints, proposal });
    if (!outcome.ok) {
      throw new AisbfError(outcome.code === 'no_private_route' ? 'no_private_route' : 'model_not_found', outcome.reason, { param: 'model' });
    }
    reasons.push(...outcome.reasons);
    return {
      decision: {
        classified,
        private: isPrivate,
        signals,
        selected: outcome.selected,
        method: outcome.method,
        confidence: outcome.confidence,
        messageCount: conversation.length,
        reasons,
        ...(degraded ? { degraded } : {}),
      },
      cacheable: degraded === undefined,
    };
  }

  private selectorTarget(ctx: PolicyContext): string | null {
    return ctx.policy.classify_semantic ? selectorRouteId(ctx.config, ctx.policy.selection_model, parseModelId) : null;
  }

  /** `local`, or the selection model's connector candidates (planned like any route). */
  private async resolveSelector(ctx: PolicyContext): Promise<{ selector: Selector } | { problem: SelectionResult }> {
    const target = this.selectorTarget(ctx);
    if (target === null) return { selector: { mode: 'local' } };
    try {
      const plan = await this.plans.build({ username: ctx.username, model: target, hints: { stream: false, tools: false, images: false } });
      const candidates: Candidate[] = plan.candidates.slice(0, 8);
      const privacy = routePrivacy(ctx.config, parseModelId(target));
      return { selector: { mode: 'llm', modelId: target, candidates, private: privacy.private, timeoutMs: this.options.selectorTimeoutMs } };
    } catch (error) {
      return {
        problem: {
          modelId: null,
          method: 'llm',
          confidence: 0,
          reason: `selection model '${ctx.policy.selection_model}' cannot be used (${AisbfError.from(error).message})`,
          selectorError: 'unresolvable',
        },
      };
    }
  }

  private classifyBudgetMs(ctx: PolicyContext): number {
    const llm = ctx.policy.classify_semantic && ctx.policy.selection_model !== 'local';
    return this.options.classifyTimeoutMs + (llm ? this.options.selectorTimeoutMs : 0);
  }

  /** Plans the chosen route, then the fallback for failover; each keeps the privacy constraint. */
  private async planTargets(ctx: PolicyContext, request: RouteResolveRequest, decision: AutoselectDecision, explanation: string[]): Promise<RoutePlan> {
    const targets = [decision.selected];
    const fallbackAllowed = ctx.fallback.known && (!decision.private || ctx.fallback.private);
    if (fallbackAllowed && ctx.fallback.modelId !== decision.selected) targets.push(ctx.fallback.modelId);
    const candidates: Candidate[] = [];
    const seen = new Set<string>();
    let firstError: unknown = null;
    for (const target of targets) {
      try {
        // A private request keeps only candidates of providers declared private, even inside a route
        // the policy marks private (a private rotation may still list a hosted member).
        const sub = await this.plans.build(
          { username: ctx.username, model: target, hints: ctx.hints, maxCandidates: request.maxCandidates },
          { requirePrivate: decision.private },
        );
        for (const candidate of sub.candidates) {
          const key = `${candidate.providerId}\u0000${candidate.model}`;
          if (seen.has(key)) continue;
          seen.add(key);
          candidates.push(candidate);
        }
        explanation.push(...sub.explanation.map((line) => `${target === decision.selected ? 'selected' : 'fallback'} ${target}: ${line}`));
      } catch (error) {
        firstError ??= error;
        explanation.push(`${target} cannot be planned: ${AisbfError.from(error).message}`);
      }
    }
    if (candidates.length === 0) {
      if (decision.private) {
        const why = firstError ? AisbfError.from(firstError).message : 'no candidate';
        throw new AisbfError('no_private_route', `this request looks private and policy '${ctx.name}' has no private provider to send it to (${why})`, {
          param: 'model',
        });
      }
      throw firstError ?? new AisbfError('model_not_found', `autoselect '${ctx.name}' found no route to plan`);
    }
    return {
      routeId: `user-autoselect/${ctx.name}`,
      routeKind: 'autoselect',
      candidates: candidates.slice(0, request.maxCandidates),
      explanation,
      classification: decision,
    };
  }
}
