import { request } from './api.js';
import { setUser, session } from './session.js';
import { whenOnline } from './net.js';

/** Asks the server who is logged in (once at start).  Without a network
 * the answer waits for the connection (the offline banner shows): an
 * unreachable server is not a logout. */
export async function loadMe() {
  for (;;) {
    try {
      // fetched as index.html preloads it (same URL, mode and credentials,
      // the default cache mode: the answer is no-store, nothing is kept), so
      // the preloaded answer is used instead of a second round trip
      const me = await request('GET', '/auth/me', { auth: false, cache: 'default' });
      setUser(me);
      return;
    } catch (e) {
      if (e.code === 'network') { await whenOnline(); continue; }
      setUser(null);
      if (e.status !== 401) session.bootError = e.message;
      return;
    }
  }
}
