import { api, ApiError, userPath } from '../api.js';
import { badge, field, formatTime, h, replaceChildren, subField } from '../dom.js';
import { candidatesTable, EXPLAIN_MISSING, explainRoute } from '../explain.js';
import { clearProblems, showProblems, showSuccess } from '../form-problems.js';
import { compact, listFromText, numberFrom, repeater } from '../repeater.js';
import type { PageContext } from '../session.js';
import type { ListedItem, ProviderConfig } from './providers-page.js';

type Member =
  | { provider_id: string; model: string; weight?: number; error_cooldown?: number }
  | { provider_id: string; models: Array<{ name: string; weight?: number; error_cooldown?: number }> }
  | { model_id: string; weight?: number; error_cooldown?: number };

interface RotationConfig {
  model_name?: string;
  providers: Member[];
  strategy?: 'weighted' | 'priority';
  privacy?: boolean;
  capabilities?: string[];
  description?: string;
}

interface FlatRow {
  provider_id?: string;
  model?: string;
  model_id?: string;
  weight?: number;
  error_cooldown?: number;
}

const ROUTE = '__route__';
const REFRESH_MS = 5_000;

/** The editor shows one row per candidate; AISBF's nested shape is shown as one row per model. */
function flatten(members: Member[]): FlatRow[] {
  return members.flatMap((m): FlatRow[] => ('models' in m ? m.models.map((x) => ({ provider_id: m.provider_id, model: x.name, weight: x.weight, error_cooldown: x.error_cooldown })) : [m as FlatRow]));
}

function describeMember(m: FlatRow): string {
  const target = m.model_id ?? `${m.provider_id}/${m.model}`;
  return `${target} · weight ${m.weight ?? 1}${m.error_cooldown !== undefined ? ` · cooldown ${m.error_cooldown}s` : ''}`;
}

/** Rotations: weighted pools of equivalent candidates, with their live cooldown state. */
export async function renderRotations(context: PageContext): Promise<void> {
  const { session, main } = context;
  const base = (rest: string) => userPath(session.username, rest);
  const listArea = h('div');
  const editorArea = h('div');
  let providers: ListedItem<ProviderConfig>[] = [];
  let rotations: ListedItem<RotationConfig>[] = [];
  const statePanels = new Map<string, HTMLElement>();

  const refreshState = async () => {
    for (const [name, panel] of statePanels) {
      try {
        const explanation = await explainRoute(session, `user-rotation/${name}`, 'dashboard: cooldown state');
        if (!explanation) {
          replaceChildren(panel, h('p', { class: 'muted' }, EXPLAIN_MISSING));
          continue;
        }
        replaceChildren(
          panel,
          h('p', { class: 'muted small' }, `Live state (${explanation.state_store ?? 'state store'}), refreshed ${formatTime(new Date().toISOString())}`),
          explanation.error ? h('p', { class: 'form-message error' }, `${explanation.error.code}: ${explanation.error.message}`) : null,
          candidatesTable(explanation.candidates ?? [], `rotation-state-${name}`),
        );
      } catch (error) {
        replaceChildren(panel, h('p', { class: 'form-message error' }, (error as Error).message));
      }
    }
  };
  const timer = setInterval(() => void refreshState(), REFRESH_MS);
  context.onLeave(() => clearInterval(timer));

  const load = async () => {
    const [p, r] = await Promise.all([
      api<{ data: ListedItem<ProviderConfig>[] }>('GET', base('providers')),
      api<{ data: ListedItem<RotationConfig>[] }>('GET', base('rotations')),
    ]);
    providers = p.data.data;
    rotations = r.data.data;
    statePanels.clear();
    if (!rotations.length) {
      replaceChildren(listArea, h('p', { class: 'empty' }, 'No rotations yet. A rotation spreads one kind of request over equivalent candidates, fails over, and cools down failing ones.'));
      return;
    }
    replaceChildren(
      listArea,
      rotations.map((item) => {
        const panel = h('div', { class: 'state' }, h('p', { class: 'loading' }, 'Loading live state…'));
        statePanels.set(item.id, panel);
        return h(
          'section',
          { class: 'card', 'data-rotation': item.id },
          h(
            'header',
            { class: 'card-head' },
            h('h2', null, h('code', null, `user-rotation/${item.id}`), item.config.privacy ? badge('privacy', 'ok') : null, badge(item.config.strategy ?? 'weighted', 'muted'), item.managed_by === 'file' ? badge('file', 'muted') : null),
            h(
              'div',
              { class: 'actions' },
              h('button', { type: 'button', class: 'secondary small', disabled: item.managed_by === 'file', onclick: () => void edit(item.id) }, 'Edit'),
              h('button', { type: 'button', class: 'danger small', disabled: item.managed_by === 'file', onclick: () => void remove(item.id) }, 'Delete'),
            ),
          ),
          h('ul', { class: 'members' }, flatten(item.config.providers).map((m) => h('li', null, describeMember(m)))),
          item.config.capabilities?.length ? h('p', null, 'Capabilities: ', item.config.capabilities.map((c) => h('code', { class: 'chip' }, c))) : null,
          panel,
        );
      }),
    );
    void refreshState();
  };

  const remove = async (name: string) => {
    if (!confirm(`Delete rotation ${name}?`)) return;
    try {
      await api('DELETE', base(`rotations/${encodeURIComponent(name)}`));
      replaceChildren(editorArea);
      await load();
    } catch (error) {
      replaceChildren(editorArea, h('div', { class: 'card' }, h('p', { class: 'form-message error', role: 'alert' }, (error as Error).message)));
    }
  };

  const edit = async (name: string) => {
    const { data, etag } = await api<RotationConfig>('GET', base(`rotations/${encodeURIComponent(name)}`));
    openEditor(name, data, etag);
  };

  const openEditor = (name: string | null, config: RotationConfig | null, etag: string | null) => {
    const nameInput = h('input', { name: 'name', value: name ?? '', disabled: name !== null, placeholder: 'coding-production' });
    const modelName = h('input', { name: 'model_name', value: config?.model_name ?? '', placeholder: 'same as the name' });
    const strategy = h('select', { name: 'strategy' }, ['weighted', 'priority'].map((s) => h('option', { value: s, selected: (config?.strategy ?? 'weighted') === s }, s)));
    const privacy = h('input', { type: 'checkbox', name: 'privacy', checked: config?.privacy ?? false });
    const capabilities = h('input', { name: 'capabilities', value: (config?.capabilities ?? []).join(', '), placeholder: 'chat, coding, tool_use' });
    const description = h('input', { name: 'description', value: config?.description ?? '' });
    const otherRoutes = rotations.filter((r) => r.id !== name).map((r) => `user-rotation/${r.id}`);
    const candidates = repeater(
      '$.providers',
      config ? flatten(config.providers) : [{}],
      (item) => {
        const row = (item ?? {}) as FlatRow;
        const provider = h(
          'select',
          { name: 'candidate_provider' },
          h('option', { value: '' }, '— provider —'),
          providers.map((p) => h('option', { value: p.id, selected: row.provider_id === p.id }, p.id)),
          h('option', { value: ROUTE, selected: row.model_id !== undefined }, 'another route…'),
        );
        const listId = `models-${Math.random().toString(36).slice(2)}`;
        const datalist = h('datalist', { id: listId });
        const model = h('input', { name: 'candidate_model', list: listId, value: row.model_id ?? row.model ?? '', placeholder: 'model' });
        const fillModels = () => {
          const options = provider.value === ROUTE ? otherRoutes : (providers.find((p) => p.id === provider.value)?.config.models.map((m) => m.name) ?? []);
          replaceChildren(datalist, options.map((o) => h('option', { value: o })));
          if (provider.value !== ROUTE && options.length === 1 && !model.value) model.value = options[0];
        };
        provider.addEventListener('change', fillModels);
        fillModels();
        const weight = h('input', { type: 'number', name: 'candidate_weight', value: row.weight ?? 1, step: 'any' });
        const cooldown = h('input', { type: 'number', name: 'candidate_cooldown', value: row.error_cooldown ?? '', placeholder: 'default', step: 'any' });
        return {
          element: h('div', null, subField('Provider', provider, 'provider_id'), subField('Model', h('span', null, model, datalist), 'model'), subField('Weight', weight, 'weight'), subField('Error cooldown (s)', cooldown, 'error_cooldown')),
          read: () =>
            provider.value === ROUTE
              ? compact({ model_id: model.value.trim(), weight: numberFrom(weight), error_cooldown: numberFrom(cooldown) })
              : compact({ provider_id: provider.value, model: model.value.trim(), weight: numberFrom(weight), error_cooldown: numberFrom(cooldown) }),
        };
      },
      'candidate',
      'rotation-candidates',
    );
    const submit = h('button', { type: 'submit', class: 'primary' }, name ? 'Save rotation' : 'Create rotation');
    const form = h(
      'form',
      { class: 'card editor', novalidate: true, 'data-testid': 'rotation-form' },
      h('h2', null, name ? `Edit rotation ${name}` : 'New rotation'),
      h('div', { class: 'form-message' }),
      h('div', { class: 'grid2' }, field('Rotation name', nameInput, '$id', 'Called as user-rotation/{name}'), field('model_name', modelName, '$.model_name')),
      h('div', { class: 'grid2' }, field('Strategy', strategy, '$.strategy', 'weighted: share of traffic by weight; priority: heaviest first'), field('Capabilities', capabilities, '$.capabilities')),
      h('label', { class: 'check', 'data-path': '$.privacy' }, privacy, 'Privacy: candidates for private data'),
      field('Description', description, '$.description'),
      h('fieldset', null, h('legend', null, 'Candidates (weight = share of traffic; cooldown after an error, in seconds)'), candidates.element),
      h('div', { class: 'buttons' }, submit, h('button', { type: 'button', class: 'secondary', onclick: () => replaceChildren(editorArea) }, 'Cancel')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearProblems(form);
      const rotationName = name ?? nameInput.value.trim();
      if (!rotationName) {
        showProblems(form, new ApiError(422, 'unprocessable_config', 'invalid rotation', null, [{ path: '$id', message: 'give the rotation a name' }]));
        return;
      }
      const body = compact({
        model_name: modelName.value.trim() || (name ? undefined : rotationName),
        providers: candidates.read(),
        strategy: strategy.value === 'weighted' && !config?.strategy ? undefined : strategy.value,
        privacy: privacy.checked,
        capabilities: listFromText(capabilities.value),
        description: description.value.trim() || undefined,
      });
      submit.disabled = true;
      try {
        await api('PUT', base(`rotations/${encodeURIComponent(rotationName)}`), body, etag ? { 'if-match': etag } : { 'if-none-match': '*' });
        await load();
        const reopened = await api<RotationConfig>('GET', base(`rotations/${encodeURIComponent(rotationName)}`));
        openEditor(rotationName, reopened.data, reopened.etag);
        showSuccess(editorArea.querySelector('form')!, `Saved rotation ${rotationName}.`);
      } catch (error) {
        showProblems(form, error);
      } finally {
        submit.disabled = false;
      }
    });
    replaceChildren(editorArea, form);
    form.scrollIntoView({ block: 'nearest' });
  };

  // Editors need the providers and routes: the page appears once they are loaded.
  await load();
  replaceChildren(
    main,
    h('header', { class: 'page-head' }, h('h1', null, 'Rotations'), h('button', { type: 'button', class: 'primary', onclick: () => openEditor(null, null, null) }, 'New rotation')),
    h('p', { class: 'lead' }, 'A rotation is reliability: a weighted pool of equivalent candidates with failover and cooldowns. The live state below comes from the route explanation, refreshed every 5 seconds.'),
    editorArea,
    listArea,
  );
}
