// Who is logged in, their CSRF token, the org in view, and the
// session-expired overlay.  One reactive object shared by every screen.
import { reactive, computed } from 'vue';

export const session = reactive({
  user: null,          // User from /auth/login or /auth/me
  csrf: '',
  checked: false,      // /auth/me has answered once
  expired: false,      // show the login overlay over the current page
  orgId: null,         // the org whose subtree the screens show
});

// Requests that got a 401 wait here until the user logs in again.
const waiting = [];

export function waitForLogin() {
  session.expired = true;
  return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
}

export function loginDone(data) {
  const previous = session.user && session.user.id;
  setUser(data);
  session.expired = false;
  const q = waiting.splice(0);
  if (previous && previous !== data.user.id) {
    // another person logged in: nothing of the previous user may stay
    q.forEach((w) => w.reject(new Error('switched user')));
    location.hash = '#/';
    location.reload();
    return;
  }
  q.forEach((w) => w.resolve());
}

/** data: the Session answer of /auth/login or /auth/me (null: logged out). */
export function setUser(data) {
  session.user = data ? data.user : null;
  // csrf_token is absent when the request came with an API token
  session.csrf = data ? data.csrf_token ?? '' : '';
  session.checked = true;
  if (session.user) {
    const saved = Number(localStorage.getItem('zhibu.org.' + session.user.id));
    const orgs = scopeOrgs(session.user);
    session.orgId = orgs.some((o) => o.id === saved) ? saved : (orgs[0] ? orgs[0].id : null);
  } else {
    session.orgId = null;
  }
}

export function setOrg(id) {
  session.orgId = id;
  if (session.user) localStorage.setItem('zhibu.org.' + session.user.id, String(id));
}

/** Orgs at which the user holds a grant, without duplicates. */
export function scopeOrgs(user) {
  const seen = new Map();
  for (const g of user ? user.grants : []) {
    if (!seen.has(g.org_id)) seen.set(g.org_id, { id: g.org_id, name: g.org_name, role: g.role_name });
  }
  return [...seen.values()];
}

export function can(perm) {
  return !!session.user && session.user.perms.includes(perm);
}

export function hasRole(role) {
  return !!session.user && session.user.grants.some((g) => g.role === role);
}

export const currentOrgName = computed(() => {
  const o = scopeOrgs(session.user).find((x) => x.id === session.orgId);
  return o ? o.name : '';
});
