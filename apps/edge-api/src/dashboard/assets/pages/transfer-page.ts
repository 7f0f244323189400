import { api, ApiError, userPath } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { clearProblems, showProblems, showSuccess } from '../form-problems.js';
import type { PageContext } from '../session.js';

type Kind = 'providers' | 'rotations' | 'autoselect';
const KINDS: Array<{ kind: Kind; title: string; example: string }> = [
  { kind: 'providers', title: 'Providers', example: '{"providers":{"openai-prod":{"type":"openai","endpoint":"https://api.openai.com/v1","api_key":"sk-...","models":[{"name":"gpt-4.1-mini"}]}}}' },
  { kind: 'rotations', title: 'Rotations', example: '{"rotations":{"coding-production":{"model_name":"coding-production","providers":[...]}}}' },
  { kind: 'autoselect', title: 'Autoselect', example: '{"engineering":{"model_name":"engineering","selection_model":"general","fallback":"...","available_models":[...]}}' },
];

function download(name: string, text: string): void {
  const link = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/json' })), download: name });
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function readFile(input: HTMLInputElement): Promise<string | null> {
  const file = input.files?.[0];
  return file ? file.text() : Promise.resolve(null);
}

/** The seed's three JSON documents, exported and imported whole (each import is atomic and validated). */
export async function renderTransfer(context: PageContext): Promise<void> {
  const { session, main } = context;
  const etags = new Map<Kind, string | null>();
  const editors = new Map<Kind, { text: HTMLTextAreaElement; form: HTMLFormElement }>();

  const loadOne = async (kind: Kind) => {
    const { data, etag } = await api<unknown>('GET', userPath(session.username, `config/${kind}`));
    etags.set(kind, etag);
    editors.get(kind)!.text.value = JSON.stringify(data, null, 2);
  };

  const importOne = async (kind: Kind, text: string): Promise<boolean> => {
    const { form } = editors.get(kind)!;
    clearProblems(form);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      showProblems(form, new ApiError(400, 'invalid_request', `not valid JSON: ${(error as Error).message}`, null, []));
      return false;
    }
    try {
      const etag = etags.get(kind);
      const { data } = await api<{ version: number }>('PUT', userPath(session.username, `config/${kind}`), body, etag ? { 'if-match': etag } : {});
      await loadOne(kind);
      showSuccess(form, `Imported: ${kind} document is now version ${data.version}.`);
      return true;
    } catch (error) {
      showProblems(form, error);
      return false;
    }
  };

  const panels = KINDS.map(({ kind, title, example }) => {
    const text = h('textarea', { name: `${kind}_document`, rows: 14, spellcheck: false, class: 'mono', placeholder: example, 'aria-label': `${title} document` });
    const file = h('input', { type: 'file', accept: 'application/json,.json', 'aria-label': `${title} file` });
    file.addEventListener('change', async () => {
      const content = await readFile(file);
      if (content !== null) text.value = content;
    });
    const form = h(
      'form',
      { class: 'card', novalidate: true, 'data-testid': `transfer-${kind}` },
      h('h2', null, title),
      h('div', { class: 'form-message' }),
      text,
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', class: 'primary' }, `Import ${title.toLowerCase()}`),
        h('button', { type: 'button', class: 'secondary', onclick: () => void loadOne(kind) }, 'Reload'),
        h('button', { type: 'button', class: 'secondary', onclick: () => download(`${kind}.json`, text.value) }, 'Download'),
        file,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void importOne(kind, text.value);
    });
    editors.set(kind, { text, form });
    return form;
  });

  const exportAll = () => {
    const all: Record<string, unknown> = {};
    for (const { kind } of KINDS) {
      const body = JSON.parse(editors.get(kind)!.text.value || '{}') as Record<string, unknown>;
      all[kind] = kind === 'autoselect' ? body : body[kind];
    }
    download(`aisbf-${session.username}.json`, JSON.stringify(all, null, 2));
  };
  const allFile = h('input', { type: 'file', accept: 'application/json,.json', 'aria-label': 'Import everything from a file' });
  const allMessage = h('p', { class: 'muted small' }, 'A file in the CLI\'s export shape {"providers":{...},"rotations":{...},"autoselect":{...}} is imported in that order: providers first, since the others refer to them.');
  allFile.addEventListener('change', async () => {
    const content = await readFile(allFile);
    if (content === null) return;
    let all: Record<string, unknown>;
    try {
      all = JSON.parse(content) as Record<string, unknown>;
    } catch (error) {
      allMessage.textContent = `Not valid JSON: ${(error as Error).message}`;
      return;
    }
    for (const { kind } of KINDS) {
      if (all[kind] === undefined) continue;
      const document = kind === 'autoselect' ? all[kind] : { [kind]: all[kind] };
      editors.get(kind)!.text.value = JSON.stringify(document, null, 2);
      if (!(await importOne(kind, JSON.stringify(document)))) break;
    }
  });

  replaceChildren(
    main,
    h('header', { class: 'page-head' }, h('h1', null, 'Import / export'), h('div', { class: 'inline' }, h('button', { type: 'button', class: 'secondary', onclick: exportAll }, 'Download all'), h('label', { class: 'secondary button-like' }, 'Import all…', allFile))),
    h('p', { class: 'lead' }, 'The seed\'s JSON documents, whole. An import replaces the document atomically: every item is checked, and on any problem nothing is stored. Provider keys are shown masked; importing the mask keeps the stored key.'),
    allMessage,
    panels,
  );
  await Promise.all(KINDS.map(({ kind }) => loadOne(kind)));
}
