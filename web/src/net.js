// Is the server reachable?  A failed fetch (weak signal, airplane mode) or
// the browser's offline event marks the app offline: a banner says so and
// nothing looks like a logout.  While offline the health route is tried
// every few seconds; when it answers (or the browser goes online and it
// answers) the app is back and screens that registered onReconnect reload
// by themselves.
import { reactive } from 'vue';

export const net = reactive({ offline: typeof navigator !== 'undefined' && navigator.onLine === false });

const listeners = new Set();
let timer = null;

/** Run cb each time the connection comes back; returns an unsubscribe. */
export function onReconnect(cb) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

async function probe() {
  try {
    const r = await fetch('/api/v1/health', { cache: 'no-store' });
    if (r.ok || r.status < 500) { back(); return; }
  } catch (e) { /* still offline */ }
  timer = setTimeout(probe, 3000);
}

function back() {
  if (timer) { clearTimeout(timer); timer = null; }
  if (!net.offline) return;
  net.offline = false;
  for (const cb of [...listeners]) { try { cb(); } catch (e) { /* a screen's reload failing is its own business */ } }
}

/** Called by the API client when a request could not reach the server. */
export function markOffline() {
  net.offline = true;
  if (!timer) timer = setTimeout(probe, 3000);
}

/** Resolves once the server answers again (immediately when online). */
export function whenOnline() {
  if (!net.offline) return Promise.resolve();
  return new Promise((resolve) => { const off = onReconnect(() => { off(); resolve(); }); });
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => markOffline());
  window.addEventListener('online', () => { if (timer) clearTimeout(timer); timer = null; probe(); });
}
