// Chart labels of long org names: the part that tells them apart.
// "中共示范县红旗镇委员会", "中共示范县新华镇委员会" → "红旗镇", "新华镇":
// the prefix and the suffix every name shares are dropped, keeping the
// suffix's first character when it names the kind (镇, 村); a label never
// ends up empty.  One name alone loses only 中共 and 委员会.  The full
// name stays in the chart's tooltip (Chart.vue reads item.full).
const KNOWN_PREFIX = ['中国共产党', '中共'];
const KNOWN_SUFFIX = ['总支部委员会', '支部委员会', '委员会', '党总支', '党支部', '党委'];

function commonPrefix(list) {
  let p = list[0] || '';
  for (const s of list) while (p && !s.startsWith(p)) p = p.slice(0, -1);
  return p;
}
function commonSuffix(list) {
  let p = list[0] || '';
  for (const s of list) while (p && !s.endsWith(p)) p = p.slice(1);
  return p;
}

/** Short labels for names, same order.  max: longest label kept (… after). */
export function shortLabels(names, max = 8) {
  let out = names.map((n) => String(n || ''));
  if (names.length > 1) {
    const pre = commonPrefix(out);
    const suf = commonSuffix(out.map((s) => s.slice(pre.length)));
    const cut = out.map((s) => s.slice(pre.length, s.length - suf.length));
    // keep a shared suffix's first character when it names the kind (镇, 村, 局)
    const kind = suf && !KNOWN_SUFFIX.includes(suf) ? [...suf][0] : '';
    if (cut.every((s) => s.length)) out = cut.map((s) => s + kind);
  } else if (names.length === 1) {
    let s = out[0];
    for (const p of KNOWN_PREFIX) if (s.startsWith(p) && s.length > p.length) { s = s.slice(p.length); break; }
    for (const p of KNOWN_SUFFIX) if (s.endsWith(p) && s.length > p.length) { s = s.slice(0, -p.length); break; }
    out = [s];
  }
  return out.map((s) => ([...s].length > max ? [...s].slice(0, max - 1).join('') + '…' : s));
}
