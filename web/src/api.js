// The one API client.  Same-origin cookies; X-CSRF-Token on every
// state-changing request; error bodies become an ApiError with a readable
// Chinese message; a 401 opens the login overlay and the request is retried
// after the user logs in again, so nothing typed on the page is lost.
//
// Every answer has the shape its route declares (src/api/*.c, served as
// /api/v1/openapi.json); web/src/api-types.js holds the JSDoc typedefs
// generated from that document, one per shape, and ApiAnswers maps each
// "METHOD /path status" to its answer.  Read fields as declared: a field is
// absent only where the typedef marks it optional ([name]) and null only
// where its type says so; never guess between alternative names.
import { session, waitForLogin } from './session.js';
import { markOffline } from './net.js';

const BASE = '/api/v1';

const CODE_MESSAGES = {
  invalid_input: '填写的内容有误，请检查后再试',
  invalid_json: '提交的数据格式不正确',
  unauthenticated: '登录已过期，请重新登录',
  csrf_failed: '页面已过期，请刷新后再试',
  forbidden: '没有权限进行此操作',
  not_found: '没有找到该内容，或不在您的管理范围内',
  method_not_allowed: '不支持此操作',
  conflict: '内容已被修改或已存在，请刷新后再试',
  too_large: '文件或内容太大',
  unsupported_media_type: '不支持该文件类型',
  account_locked: '账号已被临时锁定，请稍后再试',
  rate_limited: '操作太频繁，请稍后再试',
  database_error: '服务器数据出错，请稍后再试',
  internal_error: '服务器出错，请稍后再试',
  unavailable: '服务暂时不可用，请稍后再试',
};

const STATUS_CODES = { 400: 'invalid_input', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found',
  405: 'method_not_allowed', 409: 'conflict', 413: 'too_large', 415: 'unsupported_media_type',
  423: 'account_locked', 429: 'rate_limited', 500: 'internal_error', 502: 'unavailable',
  503: 'unavailable', 504: 'unavailable' };

export class ApiError extends Error {
  constructor(status, code, message, field, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.body = body || null;
  }
}

function hasChinese(s) { return typeof s === 'string' && /[\u4e00-\u9fff]/.test(s); }

async function toError(res) {
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  const err = body && body.error && typeof body.error === 'object' ? body.error : {};
  const code = err.code || STATUS_CODES[res.status] || 'internal_error';
  const message = hasChinese(err.message) ? err.message
    : (CODE_MESSAGES[code] || `请求失败（HTTP ${res.status}）`);
  return new ApiError(res.status, code, message, err.field, body);
}

function query(params) {
  if (!params) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.append(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * request('GET', '/members', { query: {org: 1}, body, raw, auth: false, cache })
 * Resolves to the parsed JSON (or text for non-JSON answers); rejects with
 * ApiError.  `auth: false` (login, me) disables the 401 overlay; `cache` is the
 * fetch cache mode (default no-store).
 */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (opts.raw !== undefined) {
    body = opts.raw;
    // a FormData body: the browser writes multipart/form-data and its boundary
    if (!(typeof FormData !== 'undefined' && body instanceof FormData)) headers['Content-Type'] = opts.contentType || 'application/octet-stream';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  const unsafe = method !== 'GET' && method !== 'HEAD';
  if (unsafe && session.csrf) headers['X-CSRF-Token'] = session.csrf;

  let res;
  try {
    res = await fetch(BASE + path + query(opts.query), {
      method, headers, body, credentials: 'same-origin', cache: opts.cache || 'no-store',
    });
  } catch (e) {
    markOffline();
    throw new ApiError(0, 'network', '网络已断开，请在网络恢复后再试');
  }
  if (res.status === 401 && opts.auth !== false) {
    await waitForLogin();               // resolves after a new login
    return request(method, path, opts); // retried with the new CSRF token
  }
  if (res.status === 403 && unsafe && !opts.retried) {
    const e = await toError(res);
    if (e.code !== 'csrf_failed') throw e;
    // the token may have rotated: fetch it again and retry once
    const me = await request('GET', '/auth/me', { auth: false }).catch(() => null);
    if (me && me.csrf_token) session.csrf = me.csrf_token;
    return request(method, path, { ...opts, retried: true });
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try { return await res.json(); } catch (e) {
      throw new ApiError(res.status, 'bad_response', '服务器返回的内容无法识别');
    }
  }
  return res.text();
}

export const api = {
  get: (path, q, o) => request('GET', path, { ...o, query: q }),
  post: (path, body, o) => request('POST', path, { ...o, body }),
  put: (path, body, o) => request('PUT', path, { ...o, body }),
  patch: (path, body, o) => request('PATCH', path, { ...o, body }),
  del: (path, o) => request('DELETE', path, o),
};

/**
 * Fetch every page of a paged list (bounded), following `next`: the lists
 * written by zb_list_begin/zb_list_end, {"items":[...],"total"?,"next"?}.
 * @template T
 * @param {string} path
 * @returns {Promise<T[]>}
 */
export async function getAll(path, q = {}, max = 2000) {
  const items = [];
  let after;
  for (;;) {
    const page = await api.get(path, { ...q, limit: 200, after });
    items.push(...page.items);
    if (page.next === undefined || items.length >= max) return items;
    after = page.next;
  }
}

export function url(path, q) { return BASE + path + query(q); }
