import { h } from './dom.js';

export interface Confirmed {
  ok: boolean;
  /** The "start a run now" box, when offered. */
  run: boolean;
}

/**
 * A modal question before any action: Enter or the button confirms, Escape or Cancel does not.
 * The dialog takes focus and gives it back where it was.
 */
export function confirmAction(title: string, detail: string, offerRun: boolean): Promise<Confirmed> {
  const before = document.activeElement as HTMLElement | null;
  const box = h('input', { type: 'checkbox', id: 'confirm-run', checked: true });
  const yes = h('button', { type: 'button', class: 'primary' }, title);
  const no = h('button', { type: 'button' }, 'Cancel');
  const form = h(
    'div',
    {},
    h('h2', { id: 'confirm-title' }, `${title}?`),
    h('p', {}, detail),
    offerRun
      ? h('p', {}, box, ' ', h('label', { for: 'confirm-run' }, 'Start a run now if none is going on'))
      : null,
    h('div', { class: 'buttons' }, yes, ' ', no),
  );
  const dialog = h('dialog', { 'aria-labelledby': 'confirm-title', class: 'confirm' }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let ok = false;
    yes.addEventListener('click', () => {
      ok = true;
      dialog.close();
    });
    no.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      before?.focus();
      resolve({ ok, run: offerRun && box.checked });
    });
    dialog.showModal();
    yes.focus();
  });
}
