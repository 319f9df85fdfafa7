// Pages of a listing of the admin API: the first page is a path with ?limit=, every next one the URL of the
// answer's Link rel="next" (the API's opaque cursor). Previous pages are remembered, so Previous needs no cursor
// of its own.

import { h } from './dom.js';

/**
 * Loads the first page of firstPath and calls render(items, pageIndex) for it and for every page shown later.
 * Answers {nav, reload, restart}: the Previous/Next buttons, a function that shows the current page again, and one
 * that starts over at the first page of another path (a listing with another filter).
 */
export async function paged(session, firstPath, render) {
  const urls = [firstPath];
  let index = 0;
  let latest = 0;
  const previous = h('button.btn.btn-sm', { type: 'button', 'data-page': 'previous' }, '‹ Previous');
  const next = h('button.btn.btn-sm', { type: 'button', 'data-page': 'next' }, 'Next ›');
  const where = h('span.muted.pagination-where', {});
  const nav = h('nav.pagination', { 'aria-label': 'Pages' }, previous, where, next);

  async function show(i) {
    const request = ++latest;
    const page = await session.api.get(urls[i]);
    if (request !== latest) return; // a later request (another page or filter) answers instead
    index = i;
    urls.length = i + 1;
    if (page.next) urls.push(page.next);
    render(page.data, i);
    previous.disabled = i === 0;
    next.disabled = !page.next;
    where.textContent = 'Page ' + (i + 1);
    nav.hidden = i === 0 && !page.next;
  }

  const guarded = (i) => () => show(i).catch(session.fail);
  previous.addEventListener('click', () => guarded(index - 1)());
  next.addEventListener('click', () => guarded(index + 1)());
  await show(0);
  const restart = (path) => {
    urls.splice(0, urls.length, path);
    return show(0).catch(session.fail);
  };
  return { nav, reload: () => show(index).catch(session.fail), restart };
}
