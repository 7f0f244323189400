import type { CountryCode } from 'libphonenumber-js';
import type { SignalSink, TextDetector } from './detector';

/** Domains reserved for documentation and tests (RFC 2606/6761): an address there is nobody's. */
const RESERVED_EMAIL_DOMAIN = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|local)$/i;
const EMAIL_LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN_CHAR = /[A-Za-z0-9.-]/;

/** Emails, found from each `@` outwards (linear in the text, whatever it holds). */
function scanEmails(text: string, emit: SignalSink): void {
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > 0 && at - start < 64 && EMAIL_LOCAL_CHAR.test(text[start - 1])) start--;
    let end = at + 1;
    while (end < text.length && end - at < 255 && EMAIL_DOMAIN_CHAR.test(text[end])) end++;
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
    const local = text.slice(start, at);
    const domain = text.slice(at + 1, end);
    if (local.length > 0 && /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$/.test(domain) && !RESERVED_EMAIL_DOMAIN.test(domain)) {
      // `user@1.2.3.4`-like or `pkg@1.2.3` (npm versions) have no alphabetic top-level domain and were rejected above.
      emit('email', 'pii', start, end);
    }
    at = text.indexOf('@', Math.max(end, at + 1));
  }
}

interface PhoneShape {
  pattern: RegExp;
  countries: Array<CountryCode | undefined>;
}

/** Written like phone numbers (international prefix, or a national layout with separators); libphonenumber decides. */
const PHONE_SHAPES: PhoneShape[] = [
  { pattern: /\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{1,4}){1,5}\b/g, countries: [undefined] },
  { pattern: /(?<![\d.-])(?:\(\d{3}\)\s?|\b\d{3}[.-])\d{3}[.-]\d{4}\b/g, countries: ['US'] },
  { pattern: /(?<![\d.:-])\b0\d(?:[ .]\d{2}){4}\b/g, countries: ['FR'] },
  { pattern: /(?<![\d.:-])\b0\d{2,4}[ /-]\d{5,8}\b/g, countries: ['DE', 'GB', 'IT'] },
  { pattern: /(?<![\d.:-])\b07\d{3} ?\d{6}\b/g, countries: ['GB'] },
];

let parsePhone: typeof import('libphonenumber-js').parsePhoneNumberFromString | undefined;

function scanPhones(text: string, emit: SignalSink): void {
  // libphonenumber's metadata is loaded with the first number-like text, not with the process.
  parsePhone ??= (require('libphonenumber-js') as typeof import('libphonenumber-js')).parsePhoneNumberFromString;
  const parsePhoneNumberFromString = parsePhone;
  for (const shape of PHONE_SHAPES) {
    for (const match of text.matchAll(shape.pattern)) {
      const valid = shape.countries.some((country) => parsePhoneNumberFromString(match[0], country)?.isValid() === true);
      if (!valid) continue;
      const start = match.index ?? 0;
      emit('phone_number', 'pii', start, start + match[0].length);
    }
  }
}

// The validation libraries are loaded with the first text that needs them: a process whose
// policies never classify (most embedded installs) does not carry them.
let cardNumber: typeof import('card-validator').number | undefined;
let ibans: typeof import('ibantools') | undefined;

const CARD_CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;

/** Payment card numbers: a known issuer range, a valid length and the Luhn checksum (card-validator). */
function scanCards(text: string, emit: SignalSink): void {
  for (const match of text.matchAll(CARD_CANDIDATE)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (/^(\d)\1+$/.test(digits)) continue;
    cardNumber ??= (require('card-validator') as typeof import('card-validator')).number;
    // Separators, when present, must group like a card does (4-4-4-4, 4-6-5), not like a date or a phone number.
    if (/[ -]/.test(match[0]) && !/^\d{4}([ -])\d{4,6}\1\d{4,5}(?:\1\d{1,4})?$/.test(match[0])) continue;
    if (!cardNumber(digits).isValid) continue;
    const start = match.index ?? 0;
    emit('payment_card', 'pii', start, start + match[0].length);
  }
}

const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;

/** IBANs with their country length and mod-97 checksum (ibantools). */
function scanIbans(text: string, emit: SignalSink): void {
  ibans ??= require('ibantools') as typeof import('ibantools');
  const { electronicFormatIBAN, isValidIBAN } = ibans;
  for (const match of text.matchAll(IBAN_CANDIDATE)) {
    if (!isValidIBAN(electronicFormatIBAN(match[0]) ?? '')) continue;
    const start = match.index ?? 0;
    emit('iban', 'pii', start, start + match[0].length);
  }
}

export const piiDetectors: TextDetector = {
  name: 'pii',
  scan(text: string, emit: SignalSink): void {
    if (text.includes('@')) scanEmails(text, emit);
    if (!/\d{3}/.test(text)) return;
    scanPhones(text, emit);
    scanCards(text, emit);
    if (/[A-Z]{2}\d{2}/.test(text)) scanIbans(text, emit);
  },
};
