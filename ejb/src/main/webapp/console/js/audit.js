// A tenant's audit log, newest first, in pages.

import { h, replace, time, label, dataTable, dataRow } from './dom.js';
import { seg } from './api.js';
import { paged } from './pager.js';

const PAGE = 50;
const COLUMNS = ['Time', 'Action', 'Actor', 'Target', 'Client address', 'Detail'];

export async function auditTab(session, content, tenant) {
  const { table, body } = dataTable('table.table.audit', { id: 'audit-table' }, 'Audit log of ' + tenant.name,
    COLUMNS);
  const empty = h('p.blankslate', { hidden: true }, 'No events yet.');
  const pages = await paged(session, 'tenants/' + seg(tenant.slug) + '/audit?limit=' + PAGE, (events) => {
    replace(body, events.map(row));
    empty.hidden = events.length > 0;
  });
  replace(content,
    h('p.note', {}, 'What admins did to this tenant and its tokens, and failed authentications known to concern it,'
      + ' newest first. Actors and targets are token ids; no event holds a token.'),
    h('div.table-wrap', {}, table),
    empty,
    pages.nav);
}

function row(e) {
  const kind = e.action.endsWith('revoke') || e.action === 'auth.failure' ? 'red'
    : e.action.endsWith('create') ? 'green' : 'default';
  const cells = [
    time(e.createdAt, '—', true),
    label(e.action, kind),
    h('code', {}, e.actor || '—'),
    e.target ? h('code', {}, e.target) : h('span.muted', {}, '—'),
    e.clientAddress || h('span.muted', {}, '—'),
    e.detail || h('span.muted', {}, '—')
  ];
  return dataRow(COLUMNS, { dataset: { action: e.action } }, cells);
}
