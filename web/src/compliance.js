// Reading /orgs/{id}/compliance (shape: docs/API.md, "Compliance"):
//   {"period","branches","branches_done","branches_open","branches_missing","done_rate",
//    "types":[{"type","type_name","branches","branches_done","branches_open","branches_missing"}],
//    "items":[{"org_id","org_name","type","type_name","required","held","missing","pending","state"}],
//    "orgs":[{"org_id","org_name",...,"items":[same as items]}]}
// state is the server's: done (held >= required), missing (a deadline
// passed short), open (still to do).  The headline 已落实 is the share of
// branches with everything done, so it agrees with the rows beside it.
import { MEETING_TYPES } from './labels.js';

export const STATE_TEXT = { done: '已落实', open: '进行中', missing: '逾期未落实' };
export const STATE_TAG = { done: 'success', open: 'warning', missing: 'danger' };

function row(r, org) {
  return { ...r, org_id: org ? org.org_id : r.org_id, org_name: org ? org.org_name : r.org_name,
    kindName: r.type_name || MEETING_TYPES[r.type] || r.type, total: r.required, done: r.held };
}

export function complianceRows(c) {
  if (!c) return [];
  const rows = (c.items || []).map((r) => row(r));
  for (const o of c.orgs || []) for (const x of o.items || []) rows.push(row(x, o));
  return rows;
}

export function complianceSummary(c) {
  if (!c) return { rate: null, branches: 0, done: 0, open: 0, missing: 0, kinds: [], rows: [] };
  return {
    rate: c.branches ? c.done_rate : null,
    branches: c.branches, done: c.branches_done, open: c.branches_open, missing: c.branches_missing,
    kinds: (c.types || []).map((t) => ({ type: t.type, name: t.type_name, done: t.branches_done, open: t.branches_open,
      missing: t.branches_missing, total: t.branches })),
    rows: complianceRows(c),
  };
}
