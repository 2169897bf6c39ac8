// 党费 on the screens: money arrives as decimal strings ("15.00") and is
// added up in integer fen, never in floating point (docs/DUES.md).
import { api } from './api.js';

export const DUES_KINDS = {
  salary: '在职', pension: '离退休', farmer: '农民', student: '学生', unemployed: '下岗失业', relief: '依靠救济',
};
export const DUES_METHODS = { cash: '现金', transfer: '转账', online: '线上' };

/** "15.00" -> 1500 */
export function fen(s) {
  if (!s) return 0;
  const neg = s.startsWith('-');
  const [y, c = ''] = s.replace('-', '').split('.');
  return (neg ? -1 : 1) * (Number(y) * 100 + Number((c + '00').slice(0, 2)));
}
/** 1500 -> "15.00" */
export function yuan(f) {
  const a = Math.abs(f);
  return `${f < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
export { chinaMonth, chinaToday } from './dates.js';

/** The reductions of org's subtree waiting for the caller's approval (the
 * level above the member's org): GET /orgs/{id}/dues-reductions?state=pending,
 * those with can_decide.  0 when the list cannot be read. */
export async function pendingForMe(orgId) {
  if (!orgId) return 0;
  try {
    const r = await api.get('/orgs/' + orgId + '/dues-reductions', { state: 'pending', limit: 200 });
    return r.items.filter((x) => x.can_decide).length;
  } catch (e) { return 0; }
}
