import { api, ApiError, userPath } from '../api.js';
import { badge, field, h, replaceChildren, subField } from '../dom.js';
import { clearProblems, showProblems, showSuccess } from '../form-problems.js';
import { compact, listFromText, numberFrom, repeater } from '../repeater.js';
import { CatalogModel, loadCatalog, PageContext } from '../session.js';
import type { ListedItem } from './providers-page.js';

interface AvailableModel {
  model_id: string;
  description?: string;
  privacy?: boolean;
  priority?: number;
  capabilities?: string[];
}

interface AutoselectConfig {
  model_name?: string;
  selection_model?: string;
  fallback: string;
  classify_privacy?: boolean;
  classify_semantic?: boolean;
  available_models: AvailableModel[];
  custom_patterns?: string[];
  custom_keywords?: string[];
  description?: string;
}

function datalist(id: string, values: Array<{ value: string; label?: string }>): HTMLElement {
  return h('datalist', { id }, values.map((v) => h('option', { value: v.value }, v.label ?? '')));
}

/** Autoselect policies: privacy and semantic switches, selection model, fallback, available models. */
export async function renderAutoselect(context: PageContext): Promise<void> {
  const { session, main } = context;
  const base = (rest: string) => userPath(session.username, rest);
  const listArea = h('div');
  const editorArea = h('div');
  let catalog: CatalogModel[] = [];

  const routeIds = () => catalog.filter((m) => m.kind !== 'autoselect');

  const load = async () => {
    const [{ data }, models] = await Promise.all([api<{ data: ListedItem<AutoselectConfig>[] }>('GET', base('autoselects')), loadCatalog(session)]);
    catalog = models;
    if (!data.data.length) {
      replaceChildren(listArea, h('p', { class: 'empty' }, 'No autoselect policies yet. A policy sends private work to private routes and picks the model that fits each task.'));
      return;
    }
    replaceChildren(
      listArea,
      data.data.map((item) =>
        h(
          'section',
          { class: 'card', 'data-autoselect': item.id },
          h(
            'header',
            { class: 'card-head' },
            h('h2', null, h('code', null, `user-autoselect/${item.id}`), item.managed_by === 'file' ? badge('file', 'muted') : null),
            h(
              'div',
              { class: 'actions' },
              h('button', { type: 'button', class: 'secondary small', disabled: item.managed_by === 'file', onclick: () => void edit(item.id) }, 'Edit'),
              h('button', { type: 'button', class: 'danger small', disabled: item.managed_by === 'file', onclick: () => void remove(item.id) }, 'Delete'),
            ),
          ),
          h(
            'dl',
            { class: 'facts' },
            h('dt', null, 'Selection model'),
            h('dd', null, h('code', null, item.config.selection_model ?? 'local')),
            h('dt', null, 'Fallback'),
            h('dd', null, h('code', null, item.config.fallback)),
            h('dt', null, 'Classification'),
            h('dd', null, item.config.classify_privacy !== false ? badge('privacy on', 'ok') : badge('privacy off', 'muted'), ' ', item.config.classify_semantic !== false ? badge('semantic on', 'ok') : badge('semantic off', 'muted')),
          ),
          h(
            'table',
            { class: 'list compact' },
            h('thead', null, h('tr', null, h('th', null, 'Model id'), h('th', null, 'Description'), h('th', null, 'Private'))),
            h('tbody', null, item.config.available_models.map((m) => h('tr', null, h('td', null, h('code', null, m.model_id)), h('td', null, m.description ?? ''), h('td', null, m.privacy ? badge('private', 'ok') : '')))),
          ),
        ),
      ),
    );
  };

  const remove = async (name: string) => {
    if (!confirm(`Delete autoselect ${name}?`)) return;
    try {
      await api('DELETE', base(`autoselects/${encodeURIComponent(name)}`));
      replaceChildren(editorArea);
      await load();
    } catch (error) {
      replaceChildren(editorArea, h('div', { class: 'card' }, h('p', { class: 'form-message error', role: 'alert' }, (error as Error).message)));
    }
  };

  const edit = async (name: string) => {
    const { data, etag } = await api<AutoselectConfig>('GET', base(`autoselects/${encodeURIComponent(name)}`));
    openEditor(name, data, etag);
  };

  const openEditor = (name: string | null, config: AutoselectConfig | null, etag: string | null) => {
    const routes = routeIds();
    const nameInput = h('input', { name: 'name', value: name ?? '', disabled: name !== null, placeholder: 'engineering' });
    const modelName = h('input', { name: 'model_name', value: config?.model_name ?? '', placeholder: 'same as the name' });
    const selection = h('input', { name: 'selection_model', list: 'selection-models', value: config?.selection_model ?? 'local' });
    const fallback = h('input', { name: 'fallback', list: 'route-ids', value: config?.fallback ?? '', placeholder: 'user-rotation/coding-production' });
    const classifyPrivacy = h('input', { type: 'checkbox', name: 'classify_privacy', checked: config?.classify_privacy ?? true });
    const classifySemantic = h('input', { type: 'checkbox', name: 'classify_semantic', checked: config?.classify_semantic ?? true });
    const keywords = h('input', { name: 'custom_keywords', value: (config?.custom_keywords ?? []).join(', '), placeholder: 'Project Falcon, ...' });
    const patterns = h('textarea', { name: 'custom_patterns', rows: 2, placeholder: 'one RE2 pattern per line' }, (config?.custom_patterns ?? []).join('\n'));
    const description = h('input', { name: 'description', value: config?.description ?? '' });
    const available = repeater(
      '$.available_models',
      config?.available_models ?? [{}],
      (item) => {
        const m = (item ?? {}) as AvailableModel;
        const id = h('input', { name: 'available_model_id', list: 'route-ids', value: m.model_id ?? '', placeholder: 'user-rotation/... or user-provider/.../...' });
        const desc = h('input', { name: 'available_description', value: m.description ?? '', placeholder: 'what this route is for: the selector reads it' });
        const priv = h('input', { type: 'checkbox', name: 'available_privacy', checked: m.privacy ?? false });
        const priority = h('input', { type: 'number', name: 'available_priority', value: m.priority ?? '', placeholder: '—' });
        id.addEventListener('change', () => {
          const known = catalog.find((c) => c.id === id.value.trim());
          if (known && !desc.value && known.description) desc.value = known.description;
        });
        return {
          element: h('div', { class: 'wide' }, subField('Model id', id, 'model_id'), subField('Description', desc, 'description'), subField('Priority', priority, 'priority'), h('label', { class: 'check', 'data-sub': 'privacy' }, priv, 'Private')),
          read: () => compact({ model_id: id.value.trim(), description: desc.value.trim() || undefined, privacy: priv.checked || undefined, priority: numberFrom(priority), capabilities: m.capabilities }),
        };
      },
      'available model',
      'available-models',
    );
    const submit = h('button', { type: 'submit', class: 'primary' }, name ? 'Save policy' : 'Create policy');
    const form = h(
      'form',
      { class: 'card editor', novalidate: true, 'data-testid': 'autoselect-form' },
      h('h2', null, name ? `Edit policy ${name}` : 'New autoselect policy'),
      h('div', { class: 'form-message' }),
      datalist('route-ids', routes.map((r) => ({ value: r.id, label: r.description ?? r.kind }))),
      datalist('selection-models', [{ value: 'local', label: 'local scorer, no network' }, ...routes.map((r) => ({ value: r.id, label: r.description ?? r.kind }))]),
      h('div', { class: 'grid2' }, field('Policy name', nameInput, '$id', 'Called as user-autoselect/{name}'), field('model_name', modelName, '$.model_name')),
      h('div', { class: 'grid2' }, field('Selection model', selection, '$.selection_model', '"local", or a route or model name that chooses'), field('Fallback', fallback, '$.fallback', 'Used when the selector gives no usable choice')),
      h('div', { class: 'grid2' }, h('label', { class: 'check', 'data-path': '$.classify_privacy' }, classifyPrivacy, 'Classify privacy (secrets, credentials, personal and customer data)'), h('label', { class: 'check', 'data-path': '$.classify_semantic' }, classifySemantic, 'Classify semantically (pick the model per task)')),
      h('fieldset', null, h('legend', null, 'Available models'), available.element),
      h('details', null, h('summary', null, 'Custom privacy rules and description'), field('Custom keywords (comma-separated)', keywords, '$.custom_keywords'), field('Custom patterns', patterns, '$.custom_patterns'), field('Description', description, '$.description')),
      h('div', { class: 'buttons' }, submit, h('button', { type: 'button', class: 'secondary', onclick: () => replaceChildren(editorArea) }, 'Cancel')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearProblems(form);
      const policyName = name ?? nameInput.value.trim();
      if (!policyName) {
        showProblems(form, new ApiError(422, 'unprocessable_config', 'invalid policy', null, [{ path: '$id', message: 'give the policy a name' }]));
        return;
      }
      const patternList = patterns.value.split('\n').map((s) => s.trim()).filter(Boolean);
      const body = compact({
        model_name: modelName.value.trim() || (name ? undefined : policyName),
        selection_model: selection.value.trim() || undefined,
        fallback: fallback.value.trim(),
        classify_privacy: classifyPrivacy.checked,
        classify_semantic: classifySemantic.checked,
        available_models: available.read(),
        custom_keywords: listFromText(keywords.value),
        custom_patterns: patternList.length ? patternList : undefined,
        description: description.value.trim() || undefined,
      });
      submit.disabled = true;
      try {
        await api('PUT', base(`autoselects/${encodeURIComponent(policyName)}`), body, etag ? { 'if-match': etag } : { 'if-none-match': '*' });
        await load();
        const reopened = await api<AutoselectConfig>('GET', base(`autoselects/${encodeURIComponent(policyName)}`));
        openEditor(policyName, reopened.data, reopened.etag);
        showSuccess(editorArea.querySelector('form')!, `Saved policy ${policyName}.`);
      } catch (error) {
        showProblems(form, error);
      } finally {
        submit.disabled = false;
      }
    });
    replaceChildren(editorArea, form);
    form.scrollIntoView({ block: 'nearest' });
  };

  const catalogCard = () =>
    h(
      'details',
      { class: 'card' },
      h('summary', null, 'Routes you can offer a policy'),
      h('table', { class: 'list compact', 'data-testid': 'route-catalog' }, h('tbody', null, routeIds().map((m) => h('tr', null, h('td', null, h('code', null, m.id)), h('td', null, m.kind), h('td', null, m.description ?? ''), h('td', null, m.privacy ? badge('private', 'ok') : ''))))),
    );

  // Editors need the providers and routes: the page appears once they are loaded.
  await load();
  replaceChildren(
    main,
    h('header', { class: 'page-head' }, h('h1', null, 'Autoselect'), h('button', { type: 'button', class: 'primary', onclick: () => openEditor(null, null, null) }, 'New policy')),
    h('p', { class: 'lead' }, 'Autoselect is policy: private or local, cheap and fast, deep on a GPU, or a hosted fallback. Applications call only the policy route.'),
    editorArea,
    listArea,
  );
  main.appendChild(catalogCard());
}
