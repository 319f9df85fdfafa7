// A tenant's tokens: the table (in pages, filtered by status by the API itself, so the pages of a filter hold only
// its tokens), and the dialogs to create, edit, rotate and revoke.

import { h, replace, time, label, statusLabel, field, duration, dataTable, dataRow } from './dom.js';
import { openDialog, values } from './dialog.js';
import { seg } from './api.js';
import { paged } from './pager.js';
import {
  scopesFields, chosenScopes, expiryField, chosenExpiry, limitsFields, chosenLimits, revealBody
} from './tokenform.js';

const PAGE = 50;
const COLUMNS = ['Name', 'Prefix', 'Owner', 'Scopes', 'Created', 'Expires', 'Last used', 'Uses', 'Status', 'Actions'];

export async function tokensTab(session, content, tenant) {
  const path = 'tenants/' + seg(tenant.slug) + '/tokens';
  const { table, body } = dataTable('table.table.tokens', { id: 'tokens-table' }, 'Tokens of ' + tenant.name,
    COLUMNS);
  const count = h('p.note', { id: 'token-count', role: 'status' });
  const filter = h('select', { id: 'status-filter' },
    [['', 'All statuses'], ['active', 'Active'], ['expired', 'Expired'], ['revoked', 'Revoked']]
      .map(([value, text]) => h('option', { value }, text)));
  let items = [];
  let shownStatus = '';
  const show = () => {
    replace(body, items.map((t) => row(t)));
    count.textContent = items.length + (shownStatus ? ' ' + shownStatus : '')
      + (items.length === 1 ? ' token' : ' tokens') + ' on this page';
  };
  const listing = () => path + '?limit=' + PAGE + (filter.value ? '&status=' + encodeURIComponent(filter.value) : '');
  const pages = await paged(session, listing(), (page) => { items = page; shownStatus = filter.value; show(); });
  filter.addEventListener('change', () => pages.restart(listing()));
  const reload = (message) => { if (message) session.flash(message, 'success'); return pages.reload(); };

  const actions = { edit: editDialog, rotate: rotateDialog, revoke: revokeDialog };
  body.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const token = items.find((t) => t.id === button.closest('tr').dataset.id);
    if (token) actions[button.dataset.action](session, path, token, reload);
  });

  replace(content,
    h('div.toolbar', {},
      h('div.toolbar-filter', {}, h('label', { for: 'status-filter' }, 'Status'), filter),
      h('button.btn.btn-primary', {
        type: 'button', id: 'new-token-button', onclick: () => createDialog(session, path, tenant, reload)
      }, 'Generate new token')),
    count,
    h('div.table-wrap', {}, table),
    pages.nav);
}

function row(t) {
  const active = t.status === 'active';
  const cells = [
    [h('strong', {}, t.name), limits(t) ? h('div.note', {}, limits(t)) : null,
      t.replacedBy ? h('div.note', {}, 'rotated: ends with its grace period') : null],
    h('code', {}, t.prefix || '—'),
    t.owner || h('span.muted', {}, '—'),
    h('span.scopes', {}, t.scopes.map((s) => label(s, 'blue'))),
    time(t.createdAt),
    time(t.expiresAt, 'never'),
    time(t.lastUsedAt, 'never'),
    String(t.usageCount),
    statusLabel(t.status),
    h('div.row-actions', {},
      h('button.btn.btn-sm', { type: 'button', 'data-action': 'edit', disabled: !active,
        'aria-label': 'Edit ' + t.name }, 'Edit'),
      h('button.btn.btn-sm', { type: 'button', 'data-action': 'rotate', disabled: !active || !!t.replacedBy,
        'aria-label': 'Rotate ' + t.name }, 'Rotate'),
      h('button.btn.btn-sm.btn-danger', { type: 'button', 'data-action': 'revoke', disabled: t.status === 'revoked',
        'aria-label': 'Revoke ' + t.name }, 'Revoke'))
  ];
  return dataRow(COLUMNS, { dataset: { id: t.id, status: t.status } }, cells);
}

/** The token's limits in words, or null. */
function limits(t) {
  const parts = [];
  if (t.rateLimit) parts.push(t.rateLimit.requests + ' requests per ' + duration(t.rateLimit.windowSeconds).replace(/^1 /, ''));
  if (t.allowedAddresses) parts.push('from ' + t.allowedAddresses.join(', '));
  return parts.length ? parts.join('; ') : null;
}

function createDialog(session, path, tenant, reload) {
  openDialog({
    title: 'New token for ' + tenant.name,
    submitText: 'Generate token',
    body: [
      field('token-name', 'Name', h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off',
        placeholder: 'What is this token for?' })),
      field('token-owner', 'Owner (optional)', h('input', { name: 'owner', maxlength: 100, autocomplete: 'off' }),
        'The user whose identity the token carries; protected applications see it as the caller\'s name.'),
      scopesFields('token'),
      expiryField('token'),
      limitsFields('token')
    ],
    onSubmit: async (form) => {
      const v = values(form);
      const body = { name: v.name, scopes: chosenScopes(v), ...chosenLimits(v) };
      if (v.owner) body.owner = v.owner;
      const expiresAt = chosenExpiry(v);
      if (expiresAt) body.expiresAt = expiresAt;
      const created = (await session.api.post(path, body)).data;
      return { title: 'Your new token', body: revealBody(created, 'Created'), doneText: 'Done' };
    },
    onClose: () => reload()
  });
}

function editDialog(session, path, token, reload) {
  openDialog({
    title: 'Edit ' + token.name,
    submitText: 'Save changes',
    body: [
      field('edit-name', 'Name', h('input', { name: 'name', value: token.name, required: true, maxlength: 100,
        autocomplete: 'off' })),
      scopesFields('edit', token.scopes),
      limitsFields('edit', token),
      h('p.note', {}, 'Owner and expiry stay as they are; rotate the token to change its expiry.')
    ],
    onSubmit: async (form) => {
      const v = values(form);
      const wanted = { name: v.name, scopes: chosenScopes(v), ...chosenLimits(v) };
      // Only what changed is sent, so the audit log names what the admin changed.
      const changes = Object.fromEntries(Object.entries(wanted)
        .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(token[key])));
      if (Object.keys(changes).length) await session.api.patch(path + '/' + seg(token.id), changes);
      reload(Object.keys(changes).length ? 'Token ' + v.name + ' saved.' : 'Nothing changed.');
    }
  });
}

function rotateDialog(session, path, token, reload) {
  const graces = [['0', 'End the old token now'], ['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days'],
    ['2592000', '30 days']];
  openDialog({
    title: 'Rotate ' + token.name,
    submitText: 'Rotate token',
    body: [
      h('p', {}, 'A new token with the same name, owner, scopes and limits replaces ', h('code', {}, token.prefix),
        '. The old token keeps working during the grace period, then is refused.'),
      field('rotate-grace', 'Grace period for the old token', h('select', { name: 'grace' },
        graces.map(([value, text]) => h('option', { value, selected: value === '86400' }, text)))),
      expiryField('rotate', token.expiresAt ? 'Same expiry as the old token' : 'No expiration, as the old token')
    ],
    onSubmit: async (form) => {
      const v = values(form);
      const body = { graceSeconds: Number(v.grace) };
      const expiresAt = chosenExpiry(v);
      if (expiresAt) body.expiresAt = expiresAt;
      const created = (await session.api.post(path + '/' + seg(token.id) + '/rotate', body)).data;
      return { title: 'Your rotated token', body: revealBody(created, 'Rotated into'), doneText: 'Done' };
    },
    onClose: () => reload()
  });
}

function revokeDialog(session, path, token, reload) {
  openDialog({
    title: 'Revoke ' + token.name + '?',
    submitText: 'Revoke token',
    danger: true,
    body: [
      h('p', {}, 'Every request with ', h('code', {}, token.prefix), ', and with the access tokens it obtained,'
        + ' will be refused from the next one on (401). This cannot be undone.'),
      h('p.note', {}, 'The token stays listed as revoked.')
    ],
    onSubmit: async () => {
      await session.api.delete(path + '/' + seg(token.id));
      reload('Token ' + token.name + ' revoked.');
    }
  });
}
