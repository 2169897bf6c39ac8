// Reading /orgs/{id}/compliance (see docs/WEB.md for the shape):
//   {"period","rate","types":[{"type","type_name","branches","branches_ok"}],
//    "items":[{"org_id","org_name","type","type_name","required","held","missing","pending","ok"}]}
// A row is 已落实 when held >= required, 未落实 when the server says it is
// not ok (or something is missing), and 进行中 while the period is open.
import { MEETING_TYPES } from './labels.js';

function state(r, total, done) {
  if (done >= total && total > 0) return 'done';
  if (r.ok === false || Number(r.missing) > 0) return 'missing';
  if (r.status && ['missing', 'overdue', 'failed'].includes(r.status)) return 'missing';
  if (r.ok === true || Number(r.pending) > 0) return 'pending';
  return 'missing';
}

export function complianceRows(c) {
  if (!c) return [];
  const rows = [];
  for (const r of c.items || c.rows || []) {
    if (Array.isArray(r.items)) r.items.forEach((x) => rows.push({ org_id: r.org_id, org_name: r.org_name, ...x }));
    else rows.push(r);
  }
  for (const o of c.orgs || []) {
    (o.items || []).forEach((x) => rows.push({ org_id: o.org_id ?? o.id, org_name: o.org_name ?? o.name, ...x }));
  }
  return rows.map((r) => {
    const total = Number(r.required ?? r.expected ?? 1);
    const done = Number(r.held ?? r.done ?? r.count ?? 0);
    const st = state(r, total, done);
    return { ...r, kindName: r.type_name || MEETING_TYPES[r.type] || r.type || '', total, done, state: st, ok: st !== 'missing' };
  });
}

export function complianceSummary(c) {
  const rows = complianceRows(c);
  let kinds;
  if (c && Array.isArray(c.types)) {
    kinds = c.types.map((t) => ({ name: t.type_name || MEETING_TYPES[t.type] || t.type, done: t.branches_ok ?? 0, total: t.branches ?? 0 }));
  } else {
    const m = new Map();
    for (const r of rows) {
      const k = m.get(r.kindName) || { name: r.kindName, done: 0, total: 0 };
      k.total += 1; if (r.ok) k.done += 1;
      m.set(r.kindName, k);
    }
    kinds = [...m.values()];
  }
  let rate = c && typeof c.rate === 'number' ? (c.rate > 1 ? c.rate / 100 : c.rate) : null;
  if (rate === null && rows.length) rate = rows.filter((r) => r.ok).length / rows.length;
  return { rate, kinds, rows };
}

/** The compliance rate of one answer, 0..1 (null when nothing is due). */
export function complianceRate(c) { return complianceSummary(c).rate; }
