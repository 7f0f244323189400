import type { SignalSink, TextDetector } from './detector';

/** Field names that hold a person's data in records, tables and logs. */
const PERSON_FIELD =
  /^(?:(?:first|last|full|given|family|sur|customer|client|contact|user|display|account|patient|member|employee)[_ -]?name|name|surname|e[_-]?mail(?:[_ -]?address)?|phone(?:[_ -]?number)?|mobile|telephone|tel|(?:street|home|billing|shipping|postal|mailing)?[_ -]?address|street|zip(?:[_ -]?code)?|postcode|postal[_ -]?code|dob|date[_ -]?of[_ -]?birth|birth[_ -]?date|birthday|ssn|social[_ -]?security(?:[_ -]?number)?|national[_ -]?id|passport(?:[_ -]?number)?|iban|card[_ -]?number|salary|diagnosis)$/i;

/** Fields that identify a person on their own (a bare `name` is everywhere in configuration and code). */
const STRONG_FIELD = /mail|phone|mobile|tel|address|street|zip|post|dob|birth|ssn|social|national|passport|iban|card|salary|diagnosis/i;

/** Values of made-up people: documentation domains and the usual stand-in names. */
const FAKE_VALUE = /example\.|\.test\b|\.invalid\b|\b(?:john|jane) doe\b|^(?:alice|bob|carol|foo|bar|baz|test|demo|user\d*|string|str|text|null|none|n\/a|true|false)$|^\$\{.*\}$|^\{\{.*\}\}$|^<.*>$/i;

/** Any word that could name a personal field: tables and records without one are skipped at once. */
const PERSON_HINT = /mail|phone|mobile|tel|name|address|street|zip|post|dob|birth|ssn|social|national|passport|iban|card|salary|diagnosis/i;

/** An assignment of a quoted value: `: "`, `= '`. The key is read backwards from it. */
const ASSIGN_QUOTE = /[:=][ \t]*(["'])/g;
const KEY_CHAR = /[A-Za-z0-9 _-]/;

/** `"email": "..."`, `'first_name': '...'`, `name: "..."` (JSON, YAML, Python or JS literals). */
function keyedValues(text: string): Array<{ key: string; value: string; start: number; end: number }> {
  const found: Array<{ key: string; value: string; start: number; end: number }> = [];
  for (const match of text.matchAll(ASSIGN_QUOTE)) {
    const at = match.index ?? 0;
    let keyEnd = at;
    while (keyEnd > 0 && (text[keyEnd - 1] === ' ' || text[keyEnd - 1] === '\t')) keyEnd--;
    if (text[keyEnd - 1] === '"' || text[keyEnd - 1] === "'") keyEnd--;
    let keyStart = keyEnd;
    while (keyStart > 0 && keyEnd - keyStart < 40 && KEY_CHAR.test(text[keyStart - 1])) keyStart--;
    const key = text.slice(keyStart, keyEnd).trim();
    if (!/^[A-Za-z]/.test(key)) continue;
    const valueStart = at + match[0].length;
    const valueEnd = text.indexOf(match[1], valueStart);
    if (valueEnd < 0 || valueEnd - valueStart < 2 || valueEnd - valueStart > 120) continue;
    const value = text.slice(valueStart, valueEnd);
    if (value.includes('\n')) continue;
    found.push({ key, value, start: keyStart, end: valueEnd + 1 });
  }
  return found;
}

/** A record holds at least two different personal fields with values (a name and an email, ...). */
function scanKeyedRecords(text: string, emit: SignalSink): void {
  const kinds = new Set<string>();
  let strong = false;
  let first = -1;
  let last = 0;
  for (const { key, value, start, end } of keyedValues(text)) {
    if (!PERSON_FIELD.test(key)) continue;
    if (FAKE_VALUE.test(value.trim())) continue;
    kinds.add(key.toLowerCase().replace(/[_ -]/g, ''));
    if (STRONG_FIELD.test(key)) strong = true;
    if (first < 0) first = start;
    last = end;
  }
  if (kinds.size >= 2 && strong) emit('customer_record', 'customer_data', first, last);
}

/** Split a delimited line, ignoring quoting (enough to read a header). */
function cells(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((cell) => cell.trim().replace(/^["']|["']$/g, ''));
}

/** CSV/TSV/pipe tables whose header names personal fields, with at least one data row under it. */
function scanTables(text: string, emit: SignalSink): void {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length - 1; i++) {
    const lineStart = offset;
    offset += lines[i].length + 1;
    if (!PERSON_HINT.test(lines[i])) continue;
    // "Compute the median: name,salary,team": the table starts after the prose.
    const line = lines[i].replace(/^[^,\t|;]*:\s+/, '');
    const delimiter = [',', '\t', '|', ';'].find((d) => line.split(d).length >= 3);
    if (!delimiter) continue;
    const header = cells(line, delimiter);
    // A header is a row of short field names, not code (`const { name, email } = user`).
    if (!header.every((cell) => /^[A-Za-z][A-Za-z0-9 _-]{0,40}$/.test(cell))) continue;
    const personal = header.filter((cell) => PERSON_FIELD.test(cell));
    if (!personal.some((cell) => STRONG_FIELD.test(cell)) && personal.length < 2) continue;
    // Data rows: as many cells as the header, not a markdown separator line.
    let rows = 0;
    let end = offset;
    for (let j = i + 1; j < lines.length && rows < 1000; j++) {
      const row = lines[j];
      if (/^[\s|:-]+$/.test(row)) {
        end += row.length + 1;
        continue;
      }
      if (Math.abs(row.split(delimiter).length - header.length) > 1) break;
      rows++;
      end += row.length + 1;
    }
    if (rows >= 1) {
      emit('customer_table', 'customer_data', lineStart, Math.min(end, text.length));
      return;
    }
  }
}

const LOG_SHAPE = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\b(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|CRITICAL)\b|^[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d|\[\d{2}\/[A-Z][a-z]{2}\/\d{4}:/m;
const USER_IDENTIFIER =
  /\b(?:user(?:[_-]?id|[_-]?name)?|uid|customer(?:[_-]?id)?|account(?:[_-]?id)?|member[_-]?id|patient[_-]?id|client[_-]?ip|remote[_-]?addr|ip[_-]?addr(?:ess)?|e-?mail|login|msisdn|subscriber(?:[_-]?id)?)["']?\s*[=:]\s*["']?[A-Za-z0-9@._+-]{2,}/gi;
const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;

/** Addresses of people's machines: not loopback, private, link-local, documentation or multicast ranges. */
function isPublicIpv4(a: number, b: number, c: number, d: number): boolean {
  if ([a, b, c, d].some((n) => n > 255)) return false;
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return false;
  return true;
}

function lineAround(text: string, index: number): { start: number; line: string } {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const end = text.indexOf('\n', index);
  return { start, line: text.slice(start, end < 0 ? text.length : end) };
}

/** Log lines (timestamp, level or access-log shape) that name a user, an account or a client address. */
function scanLogs(text: string, emit: SignalSink): void {
  const flagged = new Set<number>();
  for (const identifier of text.matchAll(USER_IDENTIFIER)) {
    const { start, line } = lineAround(text, identifier.index ?? 0);
    if (flagged.has(start) || line.length < 12 || !LOG_SHAPE.test(line)) continue;
    flagged.add(start);
    emit('log_user_identifier', 'customer_data', identifier.index ?? 0, (identifier.index ?? 0) + identifier[0].length);
  }
  if (!/\d\.\d{1,3}\.\d/.test(text)) return;
  for (const ip of text.matchAll(IPV4)) {
    const index = ip.index ?? 0;
    // Version strings (`v1.2.3.4`) and dotted numbers inside longer runs are not addresses.
    const before = text[index - 1];
    if (before === 'v' || before === '.') continue;
    if (!isPublicIpv4(Number(ip[1]), Number(ip[2]), Number(ip[3]), Number(ip[4]))) continue;
    const { start, line } = lineAround(text, index);
    if (flagged.has(start) || !LOG_SHAPE.test(line)) continue;
    flagged.add(start);
    emit('log_client_ip', 'pii', index, index + ip[0].length);
  }
}

const NAMED_PERSON =
  /\b(?:[Mm]y name is|[Cc]ustomer(?: [Nn]ame)?:|[Cc]lient(?: [Nn]ame)?:|[Pp]atient(?: [Nn]ame)?:|[Ff]ull [Nn]ame:|[Dd]ear (?:Mr|Mrs|Ms|Miss|Dr)\.?)[ \t]+[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+/g;
const STREET_ADDRESS =
  /\b\d{1,5}(?:,)? [A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+){0,3} (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Rue|Strasse|Straße)\b\.?/g;

/** People named in prose (`my name is Jane Doe`, `Customer: John Smith`) and street addresses. */
function scanPeople(text: string, emit: SignalSink): void {
  for (const match of text.matchAll(NAMED_PERSON)) {
    const start = match.index ?? 0;
    emit('person_name', 'pii', start, start + match[0].length);
  }
  if (!/\d{1,5},? [A-Z]/.test(text)) return;
  for (const match of text.matchAll(STREET_ADDRESS)) {
    const start = match.index ?? 0;
    emit('street_address', 'pii', start, start + match[0].length);
  }
}

export const customerDataDetectors: TextDetector = {
  name: 'customer_data',
  scan(text: string, emit: SignalSink): void {
    scanLogs(text, emit);
    scanPeople(text, emit);
    if (!PERSON_HINT.test(text)) return;
    scanKeyedRecords(text, emit);
    scanTables(text, emit);
  },
};
