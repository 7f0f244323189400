import { ApiError, Problem } from './api.js';
import { h } from './dom.js';

/**
 * The field a problem belongs to: the one whose JSON path is the problem's, or else its nearest
 * ancestor (a candidate row for a problem about the whole candidate). Null: show it at the top.
 */
export function fieldForPath(fieldPaths: readonly string[], problemPath: string): string | null {
  let best: string | null = null;
  for (const candidate of fieldPaths) {
    const within = problemPath === candidate || problemPath.startsWith(`${candidate}.`) || problemPath.startsWith(`${candidate}[`);
    if (within && candidate !== '$' && (best === null || candidate.length > best.length)) best = candidate;
  }
  return best;
}

export function clearProblems(form: HTMLElement): void {
  for (const node of form.querySelectorAll('.problem')) node.remove();
  for (const node of form.querySelectorAll('.has-problem')) node.classList.remove('has-problem');
}

/** Shows every problem beside its field, the rest (and the summary) in the form's message box. */
export function showProblems(form: HTMLElement, error: unknown): void {
  clearProblems(form);
  const box = form.querySelector<HTMLElement>('.form-message');
  const failure = error instanceof ApiError ? error : new ApiError(0, 'error', (error as Error)?.message ?? String(error), null, []);
  const fields = new Map<string, HTMLElement>();
  for (const element of form.querySelectorAll<HTMLElement>('[data-path]')) fields.set(element.dataset.path!, element);
  const unplaced: Problem[] = [];
  for (const problem of failure.located) {
    const path = fieldForPath([...fields.keys()], problem.path);
    const target = path ? fields.get(path) : undefined;
    if (!target) {
      unplaced.push(problem);
      continue;
    }
    target.classList.add('has-problem');
    target.appendChild(h('span', { class: 'problem', role: 'alert', 'data-problem-path': problem.path }, problem.path === path ? problem.message : `${problem.path}: ${problem.message}`));
  }
  if (box) {
    box.className = 'form-message error';
    const placed = failure.located.length - unplaced.length;
    box.replaceChildren(h('strong', null, failure.located.length ? describeStatus(failure, placed > 0) : failure.message));
    if (unplaced.length) box.appendChild(h('ul', null, unplaced.map((p) => h('li', { class: 'problem-unplaced' }, `${p.path}: ${p.message}`))));
  }
}

function describeStatus(error: ApiError, marked: boolean): string {
  if (error.status === 422) return marked ? 'Not saved: fix the fields marked below.' : 'Not saved, nothing was stored:';
  if (error.status === 409) return `Not saved: ${error.message}`;
  return error.message;
}

export function showSuccess(form: HTMLElement, message: string): void {
  clearProblems(form);
  const box = form.querySelector<HTMLElement>('.form-message');
  if (box) {
    box.className = 'form-message ok';
    box.textContent = message;
  }
}
