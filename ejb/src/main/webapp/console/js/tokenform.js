// The parts of the token dialogs: scopes, expiry, limits, and the panel that shows a new token once.

import { h, field } from './dom.js';

const COMMON_SCOPES = [
  ['read', 'read', 'GET and other reading requests'],
  ['write', 'write', 'changing requests; implies read'],
  ['admin', 'admin', 'the admin API of this tenant'],
  ['introspect', 'introspect', 'token introspection']
];

const WINDOWS = [['1', 'second'], ['60', 'minute'], ['3600', 'hour'], ['86400', 'day']];

/** Checkboxes for the common scopes and a text field for the others. */
export function scopesFields(prefix, scopes = ['read']) {
  const others = scopes.filter((s) => !COMMON_SCOPES.some(([name]) => name === s));
  return h('fieldset.form-group', {},
    h('legend', {}, 'Scopes'),
    COMMON_SCOPES.map(([name, text, note]) => h('div.form-checkbox', {},
      h('input', { type: 'checkbox', id: prefix + '-scope-' + name, name: 'scope:' + name, checked: scopes.includes(name) }),
      h('label', { for: prefix + '-scope-' + name }, text, ' ', h('span.note', {}, '— ' + note)))),
    field(prefix + '-scopes-more', 'Other scopes', h('input', {
      name: 'moreScopes', value: others.join(' '), autocomplete: 'off', spellcheck: 'false',
      placeholder: 'reports:read'
    }), 'Separated by spaces.'));
}

/** The scopes a form chose, sorted as the API lists them. */
export function chosenScopes(v) {
  const scopes = Object.keys(v).filter((k) => k.startsWith('scope:') && v[k]).map((k) => k.slice(6));
  return [...new Set(scopes.concat((v.moreScopes || '').split(/\s+/).filter(Boolean)))].sort();
}

/** The expiry choice: days from now, a date, or none. */
export function expiryField(prefix, keepOption) {
  const choices = [['7', '7 days'], ['30', '30 days'], ['60', '60 days'], ['90', '90 days'], ['365', '1 year'],
    ['custom', 'Custom date…'], ['none', 'No expiration']];
  const select = h('select', { name: 'expiry' },
    keepOption ? h('option', { value: 'keep', selected: true }, keepOption) : null,
    choices.map(([value, text]) => h('option', { value, selected: !keepOption && value === '30' }, text)));
  if (keepOption) select.querySelector('option[value="none"]').remove();
  const date = h('input', { type: 'date', name: 'expiryDate', 'aria-label': 'Expiry date' });
  const dateGroup = h('div.form-group', { hidden: true }, h('label', { for: prefix + '-expiry-date' }, 'Expires on'), date);
  date.id = prefix + '-expiry-date';
  select.addEventListener('change', () => { dateGroup.hidden = select.value !== 'custom'; });
  return [field(prefix + '-expiry', 'Expiration', select,
    'The token stops working then. A tenant may require an expiration within its longest token lifetime.'),
  dateGroup];
}

/** The expiry a form chose, as the API's expiresAt; undefined to keep it. */
export function chosenExpiry(v) {
  if (v.expiry === 'keep') return undefined;
  if (v.expiry === 'none') return null;
  if (v.expiry === 'custom') {
    if (!v.expiryDate) throw new Error('Choose the expiry date.');
    return new Date(v.expiryDate + 'T23:59:59').toISOString();
  }
  return new Date(Date.now() + Number(v.expiry) * 86400000).toISOString();
}

/** Rate limit and allowed addresses, filled from a token when editing. */
export function limitsFields(prefix, token) {
  const limit = token && token.rateLimit;
  const window = limit ? String(limit.windowSeconds) : '60';
  const known = WINDOWS.some(([s]) => s === window);
  return [
    h('fieldset.form-group', {},
      h('legend', {}, 'Rate limit (optional)'),
      h('div.inline-fields', {},
        h('input', {
          type: 'number', name: 'rateRequests', id: prefix + '-rate', min: 1, max: 1000000, inputmode: 'numeric',
          value: limit ? String(limit.requests) : null, 'aria-label': 'Requests'
        }),
        h('span', {}, 'requests per'),
        h('select', { name: 'rateWindow', id: prefix + '-rate-window', 'aria-label': 'Window' },
          known ? null : h('option', { value: window, selected: true }, window + ' seconds'),
          WINDOWS.map(([s, text]) => h('option', { value: s, selected: s === window }, text)))),
      h('p.note', {}, 'Beyond it the token gets 429 until the window ends. Empty for no limit.')),
    field(prefix + '-addresses', 'Allowed addresses (optional)', h('input', {
      name: 'addresses', autocomplete: 'off', spellcheck: 'false', placeholder: '203.0.113.0/24, 2001:db8::1',
      value: token && token.allowedAddresses ? token.allowedAddresses.join(', ') : null
    }), 'IP addresses or CIDR blocks, separated by commas; from anywhere else the token gets 403. Empty for any.')
  ];
}

/** The rateLimit and allowedAddresses a form chose (null for none). */
export function chosenLimits(v) {
  const rateLimit = v.rateRequests
    ? { requests: Number(v.rateRequests), windowSeconds: Number(v.rateWindow) } : null;
  const list = v.addresses.split(',').map((a) => a.trim()).filter(Boolean);
  return { rateLimit, allowedAddresses: list.length ? list : null };
}

/** The panel that shows a new token's plaintext, once, with a copy button. */
export function revealBody(created, what) {
  const input = h('input.input-monospace', {
    id: 'new-token', readonly: true, value: created.token, autocomplete: 'off', spellcheck: 'false',
    'aria-label': 'The new token'
  });
  const status = h('span.copy-status', { id: 'copy-status', role: 'status' });
  const copy = h('button.btn', { type: 'button', id: 'copy-token' }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = 'Copied';
    } catch (e) {
      input.select();
      status.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
    }
  });
  return [
    h('p.flash-inline.flash-warn', { id: 'once-warning' },
      'Make sure to copy the token now. You will not be able to see it again.'),
    h('p', {}, what, ' ', h('strong', {}, created.name), ' (', h('code', {}, created.prefix), ').'),
    h('div.copy-row', {}, input, copy),
    status
  ];
}
