// One tenant: its name and API access, and three tabs: tokens, audit log, settings (rename, API access).

import { h, replace, label, time, field, duration } from './dom.js';
import { openDialog } from './dialog.js';
import { seg } from './api.js';
import { tokensTab } from './tokens.js';
import { auditTab } from './audit.js';

const TABS = [['tokens', 'Tokens'], ['audit', 'Audit log'], ['settings', 'Settings']];

export async function tenantView(session, view, slug, tab) {
  const tenant = (await session.api.get('tenants/' + seg(slug))).data;
  const base = '#/tenants/' + encodeURIComponent(slug);
  const nav = h('nav.tabnav', { 'aria-label': 'Tenant' }, TABS.map(([id, text]) => h('a.tabnav-tab', {
    href: id === 'tokens' ? base : base + '/' + id,
    'aria-current': id === tab ? 'page' : null
  }, text)));
  const content = h('div', { id: 'tab-content' });
  const crumbs = h('nav.breadcrumb', { 'aria-label': 'Breadcrumb' },
    h('a', { href: '#/tenants' }, 'Tenants'), ' / ', h('span', {}, tenant.slug));
  replace(view, crumbs,
    h('div.subhead', {},
      h('h1.subhead-heading', { id: 'tenant-name' }, tenant.name, ' ',
        tenant.apiAccessEnabled ? label('API access on', 'green') : label('API access off', 'red'))),
    nav, content);
  if (tab === 'audit') await auditTab(session, content, tenant);
  else if (tab === 'settings') settingsTab(session, content, tenant);
  else await tokensTab(session, content, tenant);
}

function settingsTab(session, content, tenant) {
  const path = 'tenants/' + seg(tenant.slug);
  const here = '#/tenants/' + encodeURIComponent(tenant.slug) + '/settings';
  const name = h('input', { name: 'name', value: tenant.name, required: true, maxlength: 100, autocomplete: 'off' });
  const rename = h('form.box', { id: 'rename-form', novalidate: true },
    h('h2.box-title', {}, 'Rename'),
    field('rename-name', 'Tenant name', name, 'The slug ' + tenant.slug + ' stays as it is.'),
    h('button.btn', { type: 'submit' }, 'Rename'));
  rename.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await session.api.patch(path, { name: name.value.trim() });
      session.go(here, 'Tenant renamed.');
    } catch (e) {
      session.fail(e);
    }
  });

  const on = tenant.apiAccessEnabled;
  const access = h('section.box' + (on ? '.box-danger' : ''), { id: 'api-access' },
    h('h2.box-title', {}, 'API access'),
    h('p', {}, on
      ? 'API access is on: the tenant\'s active tokens are accepted.'
      : 'API access is off: every token of this tenant is refused.'),
    h('p.note', {}, 'Turning API access off refuses every token of this tenant, access tokens included, everywhere'
      + ' and from the very next request (401 invalid_token): protected applications, the token endpoint, the admin'
      + ' API. Nothing is revoked or deleted: turning it back on makes the same tokens work again at once.'),
    h('button.btn' + (on ? '.btn-danger' : '.btn-primary'), {
      type: 'button', id: 'toggle-access', onclick: () => accessDialog(session, tenant, path, here)
    }, on ? 'Turn off API access' : 'Turn on API access'));

  const policy = tenant.maxTokenLifetimeSeconds;
  replace(content, rename, access,
    h('section.box', {},
      h('h2.box-title', {}, 'Details'),
      h('dl.details', {},
        h('dt', {}, 'Slug'), h('dd', {}, h('code', {}, tenant.slug)),
        h('dt', {}, 'Created'), h('dd', {}, time(tenant.createdAt)),
        h('dt', {}, 'Longest token lifetime'), h('dd', {}, policy ? duration(policy) : 'no limit'))));
}

function accessDialog(session, tenant, path, here) {
  const on = tenant.apiAccessEnabled;
  openDialog({
    title: on ? 'Turn off API access for ' + tenant.name + '?' : 'Turn on API access for ' + tenant.name + '?',
    submitText: on ? 'Turn off API access' : 'Turn on API access',
    danger: on,
    body: [h('p', {}, on
      ? 'Every token of ' + tenant.slug + ', access tokens included, will be refused from the very next request.'
        + ' The tokens are kept: turning API access on again restores them.'
      : 'The tenant\'s active tokens will be accepted again from the very next request.'),
    on && !session.global ? h('p.note', {}, 'Your own admin token belongs to this tenant: you will be signed out'
      + ' and can sign in again only with a global admin token.') : null],
    onSubmit: async () => {
      await session.api.patch(path, { apiAccessEnabled: !on });
      session.go(here, on ? 'API access turned off.' : 'API access turned on.');
    }
  });
}
