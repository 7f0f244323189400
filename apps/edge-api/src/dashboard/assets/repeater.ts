import { h } from './dom.js';

export interface RepeaterRow {
  element: HTMLElement;
  read: () => unknown;
}

export interface Repeater {
  element: HTMLElement;
  read: () => unknown[];
  add: (item?: unknown) => void;
}

/**
 * A list of rows (models, candidates, available models) whose fields carry the JSON path the API
 * reports problems at: `base[i]` on the row, `base[i].name` on a field marked `data-sub="name"`.
 */
export function repeater(base: string, items: unknown[], renderRow: (item: unknown) => RepeaterRow, addLabel: string, testId: string): Repeater {
  const rows: RepeaterRow[] = [];
  const list = h('div', { class: 'rows', 'data-path': base, 'data-testid': testId });
  const renumber = () =>
    rows.forEach((row, index) => {
      row.element.dataset.path = `${base}[${index}]`;
      for (const sub of row.element.querySelectorAll<HTMLElement>('[data-sub]')) sub.dataset.path = `${base}[${index}].${sub.dataset.sub}`;
    });
  const add = (item?: unknown) => {
    const row = renderRow(item);
    const remove = h('button', { type: 'button', class: 'icon', title: 'Remove', 'aria-label': 'Remove row' }, '×');
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(row), 1);
      row.element.remove();
      renumber();
    });
    row.element.classList.add('row');
    row.element.appendChild(remove);
    rows.push(row);
    list.appendChild(row.element);
    renumber();
  };
  for (const item of items) add(item);
  const addButton = h('button', { type: 'button', class: 'secondary small' }, `+ ${addLabel}`);
  addButton.addEventListener('click', () => add());
  return { element: h('div', { class: 'repeater' }, list, addButton), read: () => rows.map((row) => row.read()), add };
}

/** "a, b ,c" -> ["a","b","c"]; empty -> undefined (the field is left out). */
export function listFromText(text: string): string[] | undefined {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/** A number input's value, or undefined when empty; a non-number is sent as is so the API names it. */
export function numberFrom(input: HTMLInputElement): number | string | undefined {
  const text = input.value.trim();
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}

/** Drops undefined members, so left-out optional fields are not sent. */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
