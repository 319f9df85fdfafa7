// The console's entry point: sign in, the session of this tab, the routes (#/tenants, #/tenants/{slug},
// #/tenants/{slug}/audit, #/tenants/{slug}/settings) and the message banner.
//
// The admin token lives in sessionStorage (this tab only, gone when the tab closes) and in memory; never in the
// browser's lasting local storage, a cookie or the URL, and it is never put back into the page.

import { Api, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { tenantsView } from './tenants.js';
import { tenantView } from './tenant.js';

const KEY = 'keygate.console.token';
const $ = (id) => document.getElementById(id);

/** What every view gets: the API, who is signed in, and the banner. */
const session = { api: null, global: false, tenant: null, flash, fail, go };

function flash(text, kind = 'error') {
  $('flash-text').textContent = text;
  $('flash').className = 'flash flash-' + kind;
  $('flash').hidden = false;
}

function clearFlash() {
  $('flash').hidden = true;
}

/** Shows an error in words; a token the API no longer accepts ends the session. */
function fail(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut();
    flash('Signed out: Keygate refused the admin token (' + error.message + ').');
    return;
  }
  flash(error.message || String(error));
}

let notice = null;

/** Shows the route of hash, then the success message, if any. */
function go(hash, message) {
  notice = message || null;
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function signIn(token) {
  const api = new Api(token);
  const tenants = await api.get('tenants?limit=2');
  let global = true;
  try {
    await api.get('admin-tokens?limit=1');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 403) throw e;
    global = false;
  }
  session.api = api;
  session.global = global;
  session.tenant = global ? null : (tenants.data[0] ? tenants.data[0].slug : null);
  sessionStorage.setItem(KEY, token);
  $('who').textContent = global ? 'Global admin' : 'Admin of tenant ' + (session.tenant || '?');
  $('who').hidden = false;
  $('sign-out').hidden = false;
}

function signOut() {
  sessionStorage.removeItem(KEY);
  session.api = null;
  session.global = false;
  session.tenant = null;
  $('who').hidden = true;
  $('sign-out').hidden = true;
  showSignIn();
}

function showSignIn() {
  replace($('view'));
  $('view').hidden = true;
  $('sign-in').hidden = false;
  $('admin-token').value = '';
  $('admin-token').focus();
}

let routing = 0;

/**
 * Shows the page of location.hash. Each page is built off-screen and shown once complete, and only if no later
 * navigation started meanwhile, so a slow answer never replaces a newer page.
 */
async function route() {
  const seq = ++routing;
  if (!session.api) {
    showSignIn();
    return;
  }
  $('sign-in').hidden = true;
  const view = $('view');
  const page = h('div', {});
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === 'tenants' && parts[1]) {
      await tenantView(session, page, parts[1], parts[2] || 'tokens');
    } else {
      await tenantsView(session, page);
    }
  } catch (e) {
    if (seq !== routing) return;
    fail(e);
    replace(page, h('div.blankslate', {}, h('p', {}, 'This page could not be shown: ' + (e.message || e)),
      h('a', { href: '#/tenants' }, 'Back to the tenants')));
  }
  if (seq !== routing || !session.api) return;
  replace(view, page);
  view.hidden = false;
  $('main').focus({ preventScroll: true });
  if (notice) {
    flash(notice, 'success');
    notice = null;
  }
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearFlash();
  const input = $('admin-token');
  const token = input.value.trim();
  input.value = '';
  if (!token) {
    flash('Paste an admin token to sign in.');
    input.focus();
    return;
  }
  try {
    await signIn(token);
    if (!location.hash || location.hash === '#') location.hash = '#/tenants';
    else route();
  } catch (e) {
    flash(e instanceof ApiError && e.status === 401
      ? 'Keygate refused this token (' + e.message + ').'
      : e.status === 403 ? 'This token may not use the admin API (' + e.message + ').' : e.message);
    input.focus();
  }
});
$('sign-out').addEventListener('click', () => {
  clearFlash();
  signOut();
  history.replaceState(null, '', location.pathname);
});
$('flash-close').addEventListener('click', clearFlash);
window.addEventListener('hashchange', () => {
  clearFlash();
  route();
});

(async () => {
  const saved = sessionStorage.getItem(KEY);
  if (saved) {
    try {
      await signIn(saved);
    } catch (e) {
      sessionStorage.removeItem(KEY);
      flash('Signed out: ' + e.message);
    }
  }
  route();
})();
