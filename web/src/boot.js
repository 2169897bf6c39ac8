import { request } from './api.js';
import { setUser, session } from './session.js';

/** Asks the server who is logged in (once at start). */
export async function loadMe() {
  try {
    // fetched as index.html preloads it (same URL, mode and credentials,
    // the default cache mode: the answer is no-store, nothing is kept), so
    // the preloaded answer is used instead of a second round trip
    const me = await request('GET', '/auth/me', { auth: false, cache: 'default' });
    setUser(me);
  } catch (e) {
    setUser(null);
    if (e.status !== 401) session.bootError = e.message;
  }
}
