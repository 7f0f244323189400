import type { RE2 as RE2Type } from 're2-wasm';
import type { SignalSink, TextDetector } from './detector';

let re2: typeof RE2Type | undefined;

/**
 * RE2 is loaded on first use: its WebAssembly memory counts as external memory for V8, and a
 * process that never sees a custom pattern should not pay for it (nor GC more because of it).
 */
function RE2(): typeof RE2Type {
  re2 ??= (require('re2-wasm') as typeof import('re2-wasm')).RE2;
  return re2;
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** RE2 counts code points; JavaScript strings count UTF-16 units. */
function utf16Index(text: string, codePointIndex: number): number {
  let units = 0;
  for (let points = 0; points < codePointIndex && units < text.length; points++) {
    units += (text.codePointAt(units) ?? 0) > 0xffff ? 2 : 1;
  }
  return units;
}

/**
 * A policy's own patterns and keywords. Patterns run on RE2 (no catastrophic backtracking, whatever
 * a user writes); keywords are escaped literals matched as whole words, case-insensitively.
 * A pattern RE2 cannot compile makes every request private: the policy asked to hold such text back.
 */
export class CustomRules implements TextDetector {
  readonly name = 'custom';
  private readonly patterns: RE2Type[] = [];
  private readonly keywords: RegExp | null;
  readonly invalidPatterns: number;

  constructor(patterns: readonly string[], keywords: readonly string[]) {
    let invalid = 0;
    for (const pattern of patterns) {
      try {
        this.patterns.push(new (RE2())(pattern, 'gu'));
      } catch {
        invalid++;
      }
    }
    this.invalidPatterns = invalid;
    const words = keywords.map((k) => k.trim()).filter(Boolean);
    this.keywords = words.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`, 'giu') : null;
  }

  scan(text: string, emit: SignalSink): void {
    if (this.invalidPatterns > 0) emit('custom_pattern_unusable', 'custom', 0, 0);
    if (this.keywords) {
      for (const match of text.matchAll(this.keywords)) {
        const start = match.index ?? 0;
        emit('custom_keyword', 'custom', start, start + match[0].length);
      }
    }
    const astral = SURROGATE.test(text);
    for (const pattern of this.patterns) {
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
        const length = match[0]?.length ?? 0;
        const start = astral ? utf16Index(text, match.index) : match.index;
        emit('custom_pattern', 'custom', start, start + length);
        if (length === 0) pattern.lastIndex++;
      }
    }
  }
}
