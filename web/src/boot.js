import { request } from './api.js';
import { setUser, session } from './session.js';

/** Asks the server who is logged in (once at start). */
export async function loadMe() {
  try {
    const me = await request('GET', '/auth/me', { auth: false });
    setUser(me);
  } catch (e) {
    setUser(null);
    if (e.status !== 401) session.bootError = e.message;
  }
}
