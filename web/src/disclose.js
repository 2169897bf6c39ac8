// 三务公开 in the web app (docs/DISCLOSURE.md): names of kinds and states,
// shared by the village's list, the editor, the queue and the overdue list.
export const KINDS = { finance: '财务', party: '党务', village: '村务' };
export const STATES = {
  draft: '草稿', submitted: '待支部审核', approved: '待乡镇审核', reviewed: '待公开', published: '已公开', withdrawn: '已撤回',
};
export const ACTIONS = {
  create: '起草', edit: '修改', submit: '提交审核', approve: '支部审核通过', refuse: '退回', review: '乡镇审核通过',
  publish: '公开', withdraw: '撤回',
};

/** "2026-03" → 2026年3月, "2026-Q1" (or the compliance's "2026Q1") →
 * 2026年第1季度, a date as it is. */
export function periodText(p) {
  let m = /^(\d{4})-?Q([1-4])$/.exec(p || '');
  if (m) return `${m[1]}年第${m[2]}季度`;
  m = /^(\d{4})-(\d{2})$/.exec(p || '');
  if (m) return `${m[1]}年${Number(m[2])}月`;
  return p || '';
}
