import type { SignalSink, TextDetector } from './detector';

/** Words people put on material that must not leave the organisation. */
const MARKER =
  /\b(?:(?:strictly |highly )?confidential(?! computing| vms?\b| containers?\b| clients?\b| inference\b)|internal(?: use)? only|for internal use|do not (?:share|distribute|forward|disclose)|not for (?:public |external )?(?:distribution|release|disclosure)|under (?:an? )?NDA|covered by (?:an? |our )?NDA|non-disclosure agreement|proprietary and confidential|trade secrets?|attorney[- ]client privileged?|privileged and confidential)\b|\bNDA\b/gi;

export const markerDetector: TextDetector = {
  name: 'markers',
  scan(text: string, emit: SignalSink): void {
    for (const match of text.matchAll(MARKER)) {
      // `nda` in lower case is a word part or an identifier (`agenda` is excluded by \b, `nda_flag` is not a marker).
      if (match[0].length === 3 && match[0] !== 'NDA') continue;
      const start = match.index ?? 0;
      emit('confidential_marker', 'marker', start, start + match[0].length);
    }
  },
};
