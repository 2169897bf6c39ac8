// The access matrix's view of the code: route rows read from the route
// tables in src/api/*.c, the scope kinds and flags from src/http/http.h,
// and the rule that says what each (route, principal, side) should answer.
// Nothing here is a hand list of routes: a route added to a table is in the
// matrix the day it is added.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Names of an enum's members, in order, from a C header. */
function enumMembers(src, name) {
  const m = new RegExp(`typedef enum ${name} \\{([\\s\\S]*?)\\} ${name};`).exec(src);
  if (!m) throw new Error(`enum ${name} not found in src/http/http.h`);
  return m[1].split('\n').map((l) => l.replace(/\/\*.*?\*\//g, '').trim())
    .map((l) => /^([A-Z_][A-Z0-9_]*)/.exec(l)?.[1]).filter(Boolean);
}

/** Scope kinds (S_*) and route flags (R_*) as the dispatcher knows them. */
export function readHttpHeader(root) {
  const src = readFileSync(join(root, 'src/http/http.h'), 'utf8');
  const scopes = enumMembers(src, 'zb_scope').filter((s) => s !== 'S_SCOPE_MAX');
  const fm = /enum zb_route_flags \{([\s\S]*?)\};/.exec(src);
  if (!fm) throw new Error('enum zb_route_flags not found in src/http/http.h');
  const flags = [...fm[1].matchAll(/(R_[A-Z_]+)\s*=/g)].map((x) => x[1]);
  return { scopes, flags };
}

/** Permission constants (P_*) to their names (org.read, ...), from auth/authz.c. */
export function readPermNames(root) {
  const src = readFileSync(join(root, 'src/auth/authz.c'), 'utf8');
  const map = {};
  for (const m of src.matchAll(/\{(P_[A-Z_]+),\s*"([a-z.]+)"\}/g)) map[m[1]] = m[2];
  if (Object.keys(map).length < 5) throw new Error('permission names not found in src/auth/authz.c');
  return map;
}

/** Split a C initializer's text at top-level commas. */
function splitTop(s) {
  const out = [];
  let depth = 0, cur = '', str = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (str) {
      cur += c;
      if (c === '\\') { cur += s[++i]; continue; }
      if (c === '"') str = false;
      continue;
    }
    if (c === '"') { str = true; cur += c; continue; }
    if (c === '(' || c === '{') depth++;
    if (c === ')' || c === '}') depth--;
    if (c === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The body of a `{...}` starting at index i (which holds the '{'). */
function braced(src, i) {
  let depth = 0, str = false;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (str) { if (c === '\\') j++; else if (c === '"') str = false; continue; }
    if (c === '"') str = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return src.slice(i + 1, j);
  }
  throw new Error('unbalanced braces in a route table');
}

/**
 * Every row of every `const zb_route zb_routes_*[]` table in src/api/*.c:
 * {method, pattern, perm: ['org.read', ...], scope: 'S_ORG', flags: ['R_WRITE', ...], table, file}.
 * A row the parser cannot read is an error, not a silent skip.
 */
export function readRoutes(root) {
  const dir = join(root, 'src/api');
  const perms = readPermNames(root);
  const { scopes, flags: knownFlags } = readHttpHeader(root);
  const routes = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.c')).sort()) {
    const src = readFileSync(join(dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const t of src.matchAll(/const\s+zb_route\s+(zb_routes_\w+)\s*\[\]\s*=\s*\{/g)) {
      const body = braced(src, t.index + t[0].length - 1);
      for (const row of splitTop(body)) {
        if (!row.startsWith('{')) throw new Error(`${f} ${t[1]}: unreadable row ${row.slice(0, 60)}`);
        const items = splitTop(row.slice(1, row.lastIndexOf('}')));
        if (items.length === 1 && items[0] === '0') continue; // terminator {0}
        // designated initializers: {.method = "GET", .pattern = "...", ...}
        const col = {};
        for (const it of items) {
          const m = /^\.(\w+)\s*=\s*([\s\S]+)$/.exec(it);
          if (!m) throw new Error(`${f} ${t[1]}: not a designated initializer: ${it.slice(0, 60)} in ${row.slice(0, 80)}`);
          col[m[1]] = m[2].trim();
        }
        for (const k of ['method', 'pattern', 'fn', 'resp']) {
          if (!col[k]) throw new Error(`${f} ${t[1]}: row without .${k}: ${row.slice(0, 80)}`);
        }
        const [method, pattern] = [col.method, col.pattern].map((c) => {
          const m = /^"([^"]*)"$/.exec(c);
          if (!m) throw new Error(`${f} ${t[1]}: method/pattern not a string literal in ${row.slice(0, 80)}`);
          return m[1];
        });
        const id = `${method} ${pattern}`;
        const perm = !col.perm || col.perm === '0' ? [] : col.perm.split('|').map((p) => p.trim()).map((p) => {
          if (!perms[p]) throw new Error(`${id}: unknown permission ${p}`);
          return perms[p];
        });
        const scope = col.scope || 'S_NONE';
        if (!scopes.includes(scope)) throw new Error(`${id}: unknown scope kind ${scope}`);
        const flags = !col.flags || col.flags === '0' ? [] : col.flags.split('|').map((p) => p.trim());
        for (const fl of flags) if (!knownFlags.includes(fl)) throw new Error(`${id}: unknown flag ${fl}`);
        // query_doc: "name:type:说明,..." (or absent)
        const qd = /^"((?:[^"\\]|\\.)*)"$/.exec(col.query_doc || '')?.[1] || '';
        const query = qd ? qd.split(',').map((x) => ({ name: x.split(':')[0], type: x.split(':')[1] || 'string' })) : [];
        routes.push({ id, method, pattern, perm, scope, flags, query, table: t[1], file: `src/api/${f}` });
      }
    }
  }
  return routes;
}

/** Names of a pattern's placeholders, in order: "/orgs/{id}/x/{year}" -> ['id', 'year']. */
export function placeholders(pattern) {
  return [...pattern.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

// What a path placeholder names: by its own name, or for {id} by the
// path segment before it.  An unknown one stops the matrix.
const PARAM_BY_NAME = { did: 'designation', org_id: 'org', year: 'year', sid: 'applicant_step', tid: 'reserve_trial', ref: 'village', fid: 'disclosure_file', cid: 'course' };
const PARAM_BY_SEGMENT = {
  orgs: 'org', members: 'member', meetings: 'meeting', users: 'user', grants: 'grant', committee: 'post',
  units: 'unit', alliances: 'alliance', attachments: 'attachment', imports: 'import', approvals: 'approval',
  transfers: 'transfer', payments: 'dues_payment', reductions: 'dues_reduction', applicants: 'applicant',
  'applicant-imports': 'applicant_import', 'reserve-cadres': 'reserve_cadre',
  'dispatch-units': 'dunit', cadres: 'cadre', 'village-teams': 'vteam', 'village-postings': 'vposting',
  'village-leaves': 'vleave', disclosures: 'disclosure',
  'aid-households': 'aid_household', 'aid-pairs': 'aid_pair', 'aid-areas': 'aid_area', 'aid-imports': 'aid_import',
  'aid-visits': 'aid_visit', 'aid-photos': 'aid_photo', 'village-files': 'vfile',
  'study-sessions': 'study_session', 'study-imports': 'study_import', courses: 'course',
  tasks: 'task', 'task-targets': 'task_target', 'task-files': 'task_file', notices: 'notice', 'notice-files': 'notice_file',
  'weak-listings': 'weak_listing', 'weak-measures': 'weak_measure', 'weak-progress': 'weak_progress',
  'points-items': 'points_item',
  'duty-reports': 'duty_report', 'duty-report-files': 'duty_file', 'village-reviews': 'vreview',
};
/** [{name, kind}] for a pattern's placeholders; throws naming the route for an unknown one. */
export function paramKinds(route) {
  const segs = route.pattern.split('/');
  return placeholders(route.pattern).map((name) => {
    let kind = PARAM_BY_NAME[name];
    if (!kind && name === 'id') {
      const i = segs.indexOf('{id}');
      kind = PARAM_BY_SEGMENT[segs[i - 1]];
    }
    if (!kind) throw new Error(`${route.id}: the matrix does not know what the placeholder {${name}} names`);
    return { name, kind };
  });
}

// Scope kinds whose object is path parameter 0, and the object kind it is.
export const PATH_SCOPES = {
  S_ORG: 'org', S_MEMBER: 'member', S_MEETING: 'meeting', S_USER: 'user', S_IMPORT: 'import', S_GRANT: 'grant',
  S_POST: 'post', S_UNIT: 'unit', S_ALLIANCE: 'alliance', S_ATTACHMENT: 'attachment', S_TRANSFER: 'transfer',
  S_DUES_PAYMENT: 'dues_payment', S_DUES_REDUCTION: 'dues_reduction', S_APPLICANT: 'applicant',
  S_RIMPORT: 'applicant_import', S_RESERVE: 'reserve_cadre',
  S_DUNIT: 'dunit', S_CADRE: 'cadre', S_VTEAM: 'vteam', S_VPOSTING: 'vposting', S_VLEAVE: 'vleave',
  S_DISCLOSURE: 'disclosure',
  S_AID_HOUSEHOLD: 'aid_household', S_AID_PAIR: 'aid_pair', S_AID_AREA: 'aid_area', S_AID_IMPORT: 'aid_import',
  S_AID_VISIT: 'aid_visit', S_AID_PHOTO: 'aid_photo', S_VFILE: 'vfile',
  S_STUDY_SESSION: 'study_session', S_STUDY_IMPORT: 'study_import', S_COURSE: 'course',
  S_TASK: 'task', S_TASK_TARGET: 'task_target', S_TASK_FILE: 'task_file', S_NOTICE: 'notice',
  S_WEAK_LISTING: 'weak_listing', S_WEAK_MEASURE: 'weak_measure', S_WEAK_PROGRESS: 'weak_progress',
  S_POINTS_ITEM: 'points_item',
  S_DUTY_REPORT: 'duty_report', S_DUTY_FILE: 'duty_file', S_VREVIEW: 'vreview',
};
// Scope kinds that take the object from the query or the body.
export const OTHER_SCOPES = ['S_NONE', 'S_QUERY_ORG', 'S_BODY_ORG', 'S_BODY_MEMBER'];

/**
 * The answer a route should give: 'pass' (the access checks let it
 * through: anything but 401/403/404 and never 5xx), or the status the
 * dispatcher must answer.  side: 'A' (inside the principal's subtree),
 * 'B' (outside it) or null for routes without an object (S_NONE).
 * principal: {anonymous, perms: Set, csrf: false for a cookie without it}.
 */
export function expected(route, principal, side) {
  const pub = route.flags.includes('R_PUBLIC');
  if (pub && route.perm.length === 0) return 'pass';
  if (principal.anonymous) return pub ? 403 : 401;
  if (principal.noCsrf && route.flags.includes('R_WRITE')) return 403;
  if (route.perm.length === 0) return 'pass';
  // R_ANY: any one of the permissions lets the caller past the dispatcher;
  // the handler then shows each object only to those who hold its power
  if (route.flags.includes('R_ANY')) return route.perm.some((p) => principal.perms.has(p)) ? 'pass-or-404' : 403;
  if (!route.perm.every((p) => principal.perms.has(p))) return 403;
  if (route.scope === 'S_NONE') return 'pass';
  return side === 'A' ? 'pass' : 404;
}

/** One character per outcome for the printed matrix. */
export function mark(status) {
  if (status === 'pass' || status === 'pass-or-404') return 'P';
  if (status === undefined || status === null) return ' ';
  return { 401: '1', 403: '3', 404: '4' }[status] || '?';
}
