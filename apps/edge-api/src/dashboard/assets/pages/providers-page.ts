import { api, ApiError, userPath } from '../api.js';
import { badge, field, h, replaceChildren, subField } from '../dom.js';
import { clearProblems, showProblems, showSuccess } from '../form-problems.js';
import { compact, listFromText, numberFrom, repeater } from '../repeater.js';
import type { PageContext } from '../session.js';

interface ProviderModel {
  name: string;
  description?: string;
  capabilities?: string[];
}

export interface ProviderConfig {
  type: string;
  endpoint: string;
  api_key?: string;
  models: ProviderModel[];
  description?: string;
  private?: boolean;
  pool?: string;
  timeouts?: Record<string, number>;
}

export interface ListedItem<T> {
  id: string;
  version: number;
  managed_by: 'file' | 'api';
  config: T;
}

interface ModelTest {
  provider: string;
  pool: string;
  models: Array<{ id: string; owned_by?: string }>;
  declared: string[];
  missing: string[];
}

const TYPES = ['openai', 'anthropic', 'gemini', 'ollama', 'demo'];
const TIMEOUTS = ['connect_ms', 'first_byte_ms', 'idle_ms', 'total_ms'];

/** User providers: stable ids, endpoints, masked keys, models; test the upstream's model list. */
export async function renderProviders(context: PageContext): Promise<void> {
  const { session, main } = context;
  const base = (rest: string) => userPath(session.username, rest);
  const listArea = h('div');
  const editorArea = h('div');
  const testArea = h('div', { 'data-testid': 'model-test' });

  const load = async () => {
    const { data } = await api<{ data: ListedItem<ProviderConfig>[] }>('GET', base('providers'));
    replaceChildren(listArea, table(data.data));
  };

  const table = (items: ListedItem<ProviderConfig>[]) => {
    if (!items.length) return h('p', { class: 'empty' }, 'No providers yet. Create one for each backend: a stable id like coderai-local, runpod-gpu-a or openai-prod.');
    return h(
      'table',
      { class: 'list', 'data-testid': 'providers-table' },
      h('thead', null, h('tr', null, ['Id', 'Type', 'Endpoint', 'Key', 'Models', '', ''].map((c) => h('th', null, c)))),
      h(
        'tbody',
        null,
        items.map((item) =>
          h(
            'tr',
            { 'data-id': item.id },
            h('td', null, h('strong', null, item.id), item.config.private ? badge('private', 'ok') : null, item.managed_by === 'file' ? badge('file', 'muted') : null),
            h('td', null, item.config.type),
            h('td', { class: 'mono ellipsis' }, item.config.endpoint),
            h('td', { class: 'mono', 'data-testid': 'key-hint' }, item.config.api_key ?? '—'),
            h('td', null, item.config.models.map((m) => h('code', { class: 'chip' }, m.name))),
            h('td', { class: 'actions' }, h('button', { type: 'button', class: 'secondary small', onclick: () => void test(item.id) }, 'Test model listing')),
            h(
              'td',
              { class: 'actions' },
              h('button', { type: 'button', class: 'secondary small', disabled: item.managed_by === 'file', onclick: () => void edit(item.id) }, 'Edit'),
              h('button', { type: 'button', class: 'danger small', disabled: item.managed_by === 'file', onclick: () => void remove(item.id) }, 'Delete'),
            ),
          ),
        ),
      ),
    );
  };

  const test = async (id: string) => {
    replaceChildren(testArea, h('div', { class: 'card' }, h('p', { class: 'loading' }, `Asking ${id}'s upstream for its models…`)));
    try {
      const { data } = await api<ModelTest>('POST', base(`providers/${encodeURIComponent(id)}/test`));
      replaceChildren(
        testArea,
        h(
          'div',
          { class: 'card' },
          h('h2', null, `Model listing of ${id} `, data.missing.length ? badge(`${data.missing.length} declared model(s) missing`, 'warn') : badge('all declared models present', 'ok')),
          h('p', { class: 'muted' }, `Answered by connector pool "${data.pool}": ${data.models.length} model(s) upstream.`),
          h('ul', { class: 'models' }, data.models.map((m) => h('li', { class: data.declared.includes(m.id) ? 'declared' : '' }, h('code', null, m.id), data.declared.includes(m.id) ? badge('declared', 'ok') : null))),
          data.missing.length ? h('p', { class: 'form-message error' }, `Declared but not offered upstream: ${data.missing.join(', ')}`) : null,
        ),
      );
    } catch (error) {
      const failure = error as ApiError;
      replaceChildren(testArea, h('div', { class: 'card' }, h('h2', null, `Model listing of ${id} `, badge('failed', 'bad')), h('p', { class: 'form-message error', role: 'alert' }, `${failure.code ? `${failure.code}: ` : ''}${failure.message}`)));
    }
  };

  const remove = async (id: string) => {
    if (!confirm(`Delete provider ${id}?`)) return;
    try {
      await api('DELETE', base(`providers/${encodeURIComponent(id)}`));
      replaceChildren(editorArea);
      await load();
    } catch (error) {
      replaceChildren(editorArea, h('div', { class: 'card' }, h('p', { class: 'form-message error', role: 'alert' }, (error as Error).message)));
    }
  };

  const edit = async (id: string) => {
    const { data, etag } = await api<ProviderConfig>('GET', base(`providers/${encodeURIComponent(id)}`));
    openEditor(id, data, etag);
  };

  const openEditor = (id: string | null, config: ProviderConfig | null, etag: string | null) => {
    const idInput = h('input', { name: 'id', value: id ?? '', disabled: id !== null, placeholder: 'coderai-local' });
    const type = h('select', { name: 'type' }, TYPES.map((t) => h('option', { value: t, selected: (config?.type ?? 'openai') === t }, t)));
    const endpoint = h('input', { name: 'endpoint', value: config?.endpoint ?? '', placeholder: 'http://coderai.lan:11434/v1' });
    const apiKey = h('input', { name: 'api_key', type: 'password', autocomplete: 'off', placeholder: config?.api_key ? `stored: ${config.api_key} (leave empty to keep)` : 'none' });
    const removeKey = h('input', { type: 'checkbox', name: 'remove_key' });
    const description = h('input', { name: 'description', value: config?.description ?? '' });
    const isPrivate = h('input', { type: 'checkbox', name: 'private', checked: config?.private ?? false });
    const pool = h('input', { name: 'pool', value: config?.pool ?? '', placeholder: 'default' });
    const timeouts = Object.fromEntries(TIMEOUTS.map((t) => [t, h('input', { type: 'number', name: t, value: config?.timeouts?.[t] ?? '', placeholder: 'default' })]));
    const models = repeater(
      '$.models',
      config?.models ?? [{ name: '' }],
      (item) => {
        const model = (item ?? {}) as ProviderModel;
        const name = h('input', { name: 'model_name', value: model.name ?? '', placeholder: 'qwen2.5-coder:32b' });
        const desc = h('input', { name: 'model_description', value: model.description ?? '' });
        const caps = h('input', { name: 'model_capabilities', value: (model.capabilities ?? []).join(', '), placeholder: 'chat, coding, tool_use' });
        return {
          element: h('div', null, subField('Model name', name, 'name'), subField('Description', desc, 'description'), subField('Capabilities', caps, 'capabilities')),
          read: () => compact({ name: name.value.trim(), description: desc.value.trim() || undefined, capabilities: listFromText(caps.value) }),
        };
      },
      'model',
      'provider-models',
    );
    const submit = h('button', { type: 'submit', class: 'primary' }, id ? 'Save provider' : 'Create provider');
    const form = h(
      'form',
      { class: 'card editor', novalidate: true, 'data-testid': 'provider-form' },
      h('h2', null, id ? `Edit provider ${id}` : 'New provider'),
      h('div', { class: 'form-message' }),
      h('div', { class: 'grid2' }, field('Provider id', idInput, '$id', 'Stable id used in user-provider/{id}/{model}'), field('Type', type, '$.type')),
      field('Endpoint (base URL up to /v1)', endpoint, '$.endpoint'),
      h('div', { class: 'grid2' }, field('API key', apiKey, '$.api_key', 'Sealed at rest; never shown again'), h('label', { class: 'check' }, removeKey, 'Remove the stored key')),
      field('Description', description, '$.description'),
      h('div', { class: 'grid2' }, h('label', { class: 'check', 'data-path': '$.private' }, isPrivate, 'Private: data sent here stays on infrastructure you control'), field('Connector pool', pool, '$.pool')),
      h('fieldset', { 'data-path': '$.models' }, h('legend', null, 'Models'), models.element),
      h('details', null, h('summary', null, 'Timeouts'), h('div', { class: 'grid4', 'data-path': '$.timeouts' }, TIMEOUTS.map((t) => field(t, timeouts[t], `$.timeouts.${t}`)))),
      h('div', { class: 'buttons' }, submit, h('button', { type: 'button', class: 'secondary', onclick: () => replaceChildren(editorArea) }, 'Cancel')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearProblems(form);
      const providerId = id ?? idInput.value.trim();
      if (!providerId) {
        showProblems(form, new ApiError(422, 'unprocessable_config', 'invalid provider', null, [{ path: '$id', message: 'give the provider an id' }]));
        return;
      }
      const timeoutValues = compact(Object.fromEntries(TIMEOUTS.map((t) => [t, numberFrom(timeouts[t])])));
      const body = compact({
        type: type.value,
        endpoint: endpoint.value.trim(),
        api_key: removeKey.checked ? '' : apiKey.value ? apiKey.value : undefined,
        models: models.read(),
        description: description.value.trim() || undefined,
        private: isPrivate.checked || undefined,
        pool: pool.value.trim() || undefined,
        timeouts: Object.keys(timeoutValues).length ? timeoutValues : undefined,
      });
      submit.disabled = true;
      try {
        await api('PUT', base(`providers/${encodeURIComponent(providerId)}`), body, etag ? { 'if-match': etag } : { 'if-none-match': '*' });
        await load();
        const reopened = await api<ProviderConfig>('GET', base(`providers/${encodeURIComponent(providerId)}`));
        openEditor(providerId, reopened.data, reopened.etag);
        showSuccess(editorArea.querySelector('form')!, `Saved provider ${providerId}.`);
      } catch (error) {
        showProblems(form, error);
      } finally {
        submit.disabled = false;
      }
    });
    replaceChildren(editorArea, form);
    form.scrollIntoView({ block: 'nearest' });
  };

  replaceChildren(
    main,
    h('header', { class: 'page-head' }, h('h1', null, 'Providers'), h('button', { type: 'button', class: 'primary', onclick: () => openEditor(null, null, null) }, 'New provider')),
    h('p', { class: 'lead' }, 'A provider is a wire: one backend endpoint, its credentials and model names. Test model listing before building rotations.'),
    listArea,
    editorArea,
    testArea,
  );
  await load();
}
