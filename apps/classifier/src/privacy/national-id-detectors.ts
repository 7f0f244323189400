import type { SignalSink, TextDetector } from './detector';

interface IdRule {
  name: string;
  hint: RegExp;
  pattern: RegExp;
  check?: (match: string) => boolean;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** French NIR: 13 digits and a key equal to 97 - (number mod 97); Corsica's 2A/2B count as 19/18. */
function validNir(match: string): boolean {
  const compact = match.replace(/\s/g, '');
  const body = compact.slice(0, 13).replace('2A', '19').replace('2B', '18');
  if (!/^\d{13}$/.test(body)) return false;
  return 97 - Number(BigInt(body) % 97n) === Number(compact.slice(13));
}

/** Spanish DNI/NIE: the letter is the number mod 23 (NIE: X/Y/Z stand for 0/1/2). */
function validDni(match: string): boolean {
  const compact = match.replace(/-/g, '').toUpperCase();
  const digits = compact.slice(0, -1).replace(/^X/, '0').replace(/^Y/, '1').replace(/^Z/, '2');
  return DNI_LETTERS[Number(digits) % 23] === compact.slice(-1);
}

/** National identity numbers in their written layout, with their check digit where they have one. */
const ID_RULES: IdRule[] = [
  // US SSN: never area 000, 666 or 9xx, group 00 or serial 0000.
  { name: 'us_ssn', hint: /\d{3}-\d{2}-\d{4}/, pattern: /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g },
  {
    name: 'uk_national_insurance',
    hint: /[A-Z]{2} ?\d{2}/,
    pattern: /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
  },
  { name: 'fr_nir', hint: /\b[12] ?\d{2}/, pattern: /\b[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b/g, check: validNir },
  { name: 'es_dni', hint: /\d{7}/, pattern: /\b[XYZ]?\d{7,8}-?[A-Z]\b/g, check: validDni },
  { name: 'it_codice_fiscale', hint: /[A-Z]{6}\d{2}/, pattern: /\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b/g },
];

export const nationalIdDetectors: TextDetector = {
  name: 'national_ids',
  scan(text: string, emit: SignalSink): void {
    for (const rule of ID_RULES) {
      if (!rule.hint.test(text)) continue;
      for (const match of text.matchAll(rule.pattern)) {
        if (rule.check && !rule.check(match[0])) continue;
        const start = match.index ?? 0;
        emit(rule.name, 'pii', start, start + match[0].length);
      }
    }
  },
};
