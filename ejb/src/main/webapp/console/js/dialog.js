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
  replace(footer, h('button.btn', { type: 'button', id: 'dialog-cancel', onclick: () => close() }, 'Cancel'), submit);
  current = { onClose };
  form.onsubmit = async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.hidden = true;
    submit.disabled = true;
    try {
      const next = await onSubmit(form);
      if (!next) {
        close();
        return;
      }
      document.getElementById('dialog-title').textContent = next.title;
      replace(document.getElementById('dialog-body'), next.body);
      const done = h('button.btn.btn-primary', { type: 'button', id: 'dialog-done', onclick: () => close() },
        next.doneText || 'Done');
      replace(footer, done);
      form.onsubmit = (e) => { e.preventDefault(); close(); };
      done.focus();
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
      submit.disabled = false;
    }
  };
  document.getElementById('dialog-x').onclick = () => close();
  el.onclose = () => cleanUp();
  el.showModal();
  const first = el.querySelector('.dialog-body input, .dialog-body select, .dialog-body textarea');
  (first || submit).focus();
}

function close() {
  const el = dialog();
  if (el.open) el.close();
  cleanUp();
}

function cleanUp() {
  replace(document.getElementById('dialog-body'));
  replace(document.getElementById('dialog-footer'));
  const done = current;
  current = null;
  if (done && done.onClose) done.onClose();
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
