// The tenants: a table, and a dialog to create one (global admins only; a tenant admin sees its own tenant).

import { h, replace, time, label, field, duration, dataTable, dataRow } from './dom.js';
import { openDialog, values } from './dialog.js';
import { paged } from './pager.js';

const PAGE = 50;
const COLUMNS = ['Tenant', 'Slug', 'API access', 'Token lifetime', 'Created'];

export async function tenantsView(session, view) {
  const { table, body } = dataTable('table.table', { id: 'tenants-table' }, 'Tenants', COLUMNS);
  const empty = h('p.blankslate', { hidden: true }, 'No tenants yet. Create one to issue its tokens.');
  const pages = await paged(session, 'tenants?limit=' + PAGE, (tenants) => {
    replace(body, tenants.map(row));
    empty.hidden = tenants.length > 0;
  });
  const create = session.global
    ? h('button.btn.btn-primary', { type: 'button', id: 'new-tenant', onclick: () => createDialog(session) },
      'New tenant')
    : null;
  replace(view,
    h('div.subhead', {},
      h('h1.subhead-heading', {}, 'Tenants'),
      create),
    h('p.note', {}, session.global
      ? 'Each tenant has its own tokens and audit log. Open a tenant to manage its tokens.'
      : 'Your token administers this tenant only.'),
    h('div.table-wrap', {}, table),
    empty,
    pages.nav);
}

function row(tenant) {
  const link = h('a', { href: '#/tenants/' + encodeURIComponent(tenant.slug) }, tenant.name);
  return dataRow(COLUMNS, { dataset: { slug: tenant.slug } }, [
    link,
    h('code', {}, tenant.slug),
    tenant.apiAccessEnabled ? label('on', 'green') : label('off', 'red'),
    tenant.maxTokenLifetimeSeconds ? 'at most ' + duration(tenant.maxTokenLifetimeSeconds)
      : h('span.muted', {}, 'no limit'),
    time(tenant.createdAt)
  ]);
}

function createDialog(session) {
  openDialog({
    title: 'New tenant',
    submitText: 'Create tenant',
    body: [
      field('tenant-name', 'Name', h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off' })),
      field('tenant-slug', 'Slug', h('input', {
        name: 'slug', required: true, maxlength: 63, autocomplete: 'off', spellcheck: 'false',
        pattern: '[a-z0-9][a-z0-9-]{0,62}'
      }), 'Lower-case letters, digits and dashes; it names the tenant in URLs and cannot change.'),
      field('tenant-lifetime', 'Longest token lifetime (days, optional)', h('input', {
        name: 'lifetimeDays', type: 'number', min: 1, max: 3660, inputmode: 'numeric'
      }), 'When set, every token of the tenant must expire within this many days of its creation.')
    ],
    onSubmit: async (form) => {
      const v = values(form);
      const body = { slug: v.slug, name: v.name };
      if (v.lifetimeDays) body.maxTokenLifetimeSeconds = Number(v.lifetimeDays) * 86400;
      await session.api.post('tenants', body);
      session.go('#/tenants/' + encodeURIComponent(v.slug), 'Tenant ' + v.slug + ' created.');
    }
  });
}
