// Reading /orgs/{id}/compliance.  Accepted shapes (see docs/WEB.md):
//   {"period","rate"?, "items":[{"org_id","org_name","type","type_name",
//     "required","held"|"done","ok"|"status"}]}
//   or {"orgs":[{"org_id","org_name","rate","items":[…same…]}]}
import { MEETING_TYPES } from './labels.js';

export function complianceRows(c) {
  if (!c) return [];
  const rows = [];
  const top = c.items || c.rows || [];
  for (const r of top) {
    if (Array.isArray(r.items)) r.items.forEach((x) => rows.push({ org_id: r.org_id, org_name: r.org_name, ...x }));
    else rows.push(r);
  }
  for (const o of c.orgs || []) {
    (o.items || []).forEach((x) => rows.push({ org_id: o.org_id ?? o.id, org_name: o.org_name ?? o.name, ...x }));
  }
  return rows.map((r) => {
    const total = Number(r.required ?? r.expected ?? r.due ?? 1);
    const done = Number(r.held ?? r.done ?? r.count ?? (isOk(r) ? total : 0));
    return { ...r, kindName: r.type_name || r.kind_name || MEETING_TYPES[r.type || r.kind] || r.type || r.kind || '',
      total, done: Math.min(done, Math.max(total, done)), ok: isOk(r) ?? done >= total };
  });
}
function isOk(r) {
  if (typeof r.ok === 'boolean') return r.ok;
  if (r.status) return ['ok', 'done', 'met', 'complete', 'completed'].includes(r.status);
  return undefined;
}

export function complianceSummary(c) {
  const rows = complianceRows(c);
  const kinds = new Map();
  for (const r of rows) {
    const k = kinds.get(r.kindName) || { name: r.kindName, done: 0, total: 0 };
    k.total += 1; if (r.ok) k.done += 1;
    kinds.set(r.kindName, k);
  }
  let rate = c && typeof c.rate === 'number' ? c.rate : null;
  if (rate === null && rows.length) rate = rows.filter((r) => r.ok).length / rows.length;
  return { rate, kinds: [...kinds.values()], rows };
}

/** Rate per org (excluding the scope org itself when it has sub-orgs). */
export function complianceByOrg(c, selfId) {
  const by = new Map();
  if (c && Array.isArray(c.orgs)) {
    for (const o of c.orgs) {
      if (typeof o.rate === 'number') by.set(o.org_id ?? o.id, { name: o.org_name ?? o.name, rate: o.rate > 1 ? o.rate / 100 : o.rate });
    }
  }
  if (!by.size) {
    const acc = new Map();
    for (const r of complianceRows(c)) {
      const a = acc.get(r.org_id) || { name: r.org_name, ok: 0, n: 0 };
      a.n += 1; if (r.ok) a.ok += 1;
      acc.set(r.org_id, a);
    }
    for (const [id, a] of acc) by.set(id, { name: a.name, rate: a.n ? a.ok / a.n : 0 });
  }
  if (by.size > 1) by.delete(selfId);
  return [...by.values()].slice(0, 30);
}
