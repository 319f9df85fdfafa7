// Small DOM helpers: elements are built with createElement and textContent only, never from HTML strings, so
// nothing an API answer holds can become markup or script.

/** h('button.btn.btn-primary', {type: 'button', onclick}, 'Text', child) */
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = [el.className, value].filter(Boolean).join(' ');
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else if (name === 'value') {
      el.value = value;
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * A table with a caption for screen readers and a header row of columns; answers {table, body}, the rows going into
 * body (made with dataRow).
 */
export function dataTable(spec, attrs, caption, columns) {
  const body = h('tbody', {});
  const table = h(spec, attrs,
    h('caption.sr-only', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    body);
  return { table, body };
}

/** A row whose cells each carry their column's name: the phone layout shows it beside the value. */
export function dataRow(columns, attrs, cells) {
  return h('tr', attrs, cells.map((cell, i) => h('td', { 'data-label': columns[i] }, cell)));
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const DATE = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'
});
const DATE_SECONDS = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit'
});

/** An instant of the API as a <time> element (its full UTC form as a tooltip), or a muted word for none. */
export function time(instant, none = '—', seconds = false) {
  if (!instant) return h('span.muted', {}, none);
  const date = new Date(instant);
  return h('time', { datetime: instant, title: date.toISOString() }, (seconds ? DATE_SECONDS : DATE).format(date));
}

/** A GitHub-like label; kind is one of default, green, red, yellow, blue. */
export function label(text, kind = 'default') {
  return h('span.label.label-' + kind, {}, text);
}

/** A label for a token status. */
export function statusLabel(status) {
  const kinds = { active: 'green', expired: 'yellow', revoked: 'red' };
  return label(status, kinds[status] || 'default');
}

/** A labelled form field; input is an element built by the caller. */
export function field(id, text, input, note) {
  input.id = id;
  const noteId = note ? id + '-note' : null;
  if (noteId) input.setAttribute('aria-describedby', noteId);
  return h('div.form-group', {},
    h('label', { for: id }, text),
    input,
    note ? h('p.note', { id: noteId }, note) : null);
}

/** Seconds as words: 3600 -> "1 hour". */
export function duration(seconds) {
  const units = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return n + ' ' + name + (n === 1 ? '' : 's');
    }
  }
  return seconds + ' seconds';
}
