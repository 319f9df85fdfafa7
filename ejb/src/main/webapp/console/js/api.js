// The admin API of the keygate.war that served this page (../api/v1/ from the console), and nothing else. Every
// call carries the admin token as "Authorization: Bearer"; errors are RFC 9457 problem documents, turned into
// ApiError with their title and detail.

const BASE = new URL('../api/v1/', document.baseURI);

/** A refusal of the admin API, in words. */
export class ApiError extends Error {
  constructor(status, title, detail, error) {
    super(detail ? title + ': ' + detail : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.error = error;
  }
}

export class Api {
  constructor(token) {
    this.token = token;
  }

  /** The URL of path under the API, or of a "next" link the API gave (same origin, under the API only). */
  static url(path) {
    const url = new URL(path, BASE);
    if (!url.pathname.startsWith(BASE.pathname)) throw new Error('Not an admin API path: ' + path);
    return BASE.origin + url.pathname + url.search;
  }

  /** Answers {data, next}: the JSON body and the URL of the next page, if any. */
  async call(method, path, body) {
    const headers = { Authorization: 'Bearer ' + this.token, Accept: 'application/json' };
    const init = { method, headers, credentials: 'omit', cache: 'no-store', redirect: 'error' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(Api.url(path), init);
    } catch (e) {
      throw new ApiError(0, 'Network error', 'Keygate did not answer (' + e.message + ')');
    }
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      data = null;
    }
    if (!response.ok) {
      const problem = data && typeof data === 'object' ? data : {};
      throw new ApiError(response.status, problem.title || response.statusText || 'Error ' + response.status,
        problem.detail || problem.error_description || null, problem.error || null);
    }
    return { data, next: nextLink(response.headers.get('Link')) };
  }

  get(path) { return this.call('GET', path); }
  post(path, body) { return this.call('POST', path, body === undefined ? {} : body); }
  patch(path, body) { return this.call('PATCH', path, body); }
  delete(path) { return this.call('DELETE', path); }
}

function nextLink(header) {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return Api.url(match[1]);
  }
  return null;
}

/** A path segment, encoded. */
export function seg(value) {
  return encodeURIComponent(value);
}
