// The one modal <dialog> of the page: a title, a form body, a footer of buttons. The browser keeps focus inside
// it and Escape closes it; on close its content is removed, so a token shown once does not stay in the page.

import { h, replace } from './dom.js';

const dialog = () => document.getElementById('dialog');
let current = null;

/**
 * Opens the dialog. onSubmit(form) runs when the primary button is used; it may return nothing (the dialog
 * closes) or {title, body, doneText} to show instead (the dialog stays, with a single button). An error it throws
 * is shown in the dialog, in words.
 */
export function openDialog({ title, body, submitText, danger = false, onSubmit, onClose }) {
  const el = dialog();
  const form = document.getElementById('dialog-form');
  const error = document.getElementById('dialog-error');
  const footer = document.getElementById('dialog-footer');
  document.getElementById('dialog-title').textContent = title;
  replace(document.getElementById('dialog-body'), body);
  error.hidden = true;
  const submit = h('button.btn' + (danger ? '.btn-danger' : '.btn-primary'), { type: 'submit', id: 'dialog-submit' },
    submitText);
  replace(footer, h('button.btn', { type: 'button', id: 'dialog-cancel', onclick: () => close(mine) }, 'Cancel'),
    submit);
  const mine = { onClose };
  current = mine;
  form.onsubmit = async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.hidden = true;
    submit.disabled = true;
    try {
      const next = await onSubmit(form);
      if (!next) {
        close(mine);
        return;
      }
      document.getElementById('dialog-title').textContent = next.title;
      replace(document.getElementById('dialog-body'), next.body);
      const done = h('button.btn.btn-primary', { type: 'button', id: 'dialog-done', onclick: () => close(mine) },
        next.doneText || 'Done');
      replace(footer, done);
      form.onsubmit = (e) => { e.preventDefault(); close(mine); };
      done.focus();
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
      submit.disabled = false;
    }
  };
  document.getElementById('dialog-x').onclick = () => close(mine);
  el.onclose = () => cleanUp(mine);
  el.showModal();
  const first = el.querySelector('.dialog-body input, .dialog-body select, .dialog-body textarea');
  (first || submit).focus();
}

/** Closes the dialog that opening `mine` showed, if it is still the one shown. */
function close(mine) {
  const el = dialog();
  if (current === mine && el.open) el.close();
  cleanUp(mine);
}

/** Empties the dialog and runs its onClose, once: the close event comes again after close(). */
function cleanUp(mine) {
  if (current !== mine) return;
  current = null;
  replace(document.getElementById('dialog-body'));
  replace(document.getElementById('dialog-footer'));
  if (mine.onClose) mine.onClose();
}

/** The values of a form's named inputs, trimmed. */
export function values(form) {
  const out = {};
  for (const el of form.querySelectorAll('input[name], select[name], textarea[name]')) {
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else out[el.name] = el.value.trim();
  }
  return out;
}
