// 发展党员 on the screens: the 25 steps of the 发展党员工作细则 (2014) and the
// facts the record-step form asks for at each (the server's body fields of
// POST /applicants/{id}/steps; src/api/api_recruit.c).  The rules
// themselves are the server's: the form sends, the server refuses with a
// message naming the rule and the dates (409), shown in the form.
import { chinaToday } from './dates.js';

/** The facts each step takes beyond its date (done_on). */
export const STEP_FACTS = {
  2: ['talkers'],
  3: ['recommended_by'],
  5: ['contacts'],
  6: ['opinion'],
  9: ['introducers'],
  10: ['conclusion'],
  11: ['training_days', 'training_hours', 'certificate_no'],
  12: ['conclusion'],
  13: ['publicity_from', 'conclusion'],
  14: ['volunteer_no'],
  15: ['meeting_id'],
  16: ['talkers'],
  17: ['delay_reason'],
  19: ['group_id'],
  21: ['opinion'],
  23: ['meeting_id', 'outcome', 'extend_months'],
  24: ['delay_reason'],         // approves what step 23 decided (the server copies its outcome)
};

/** The names of steps 1..25 as the 细则 numbers them (the server's are the
 * same; these name the steps not yet done). */
export const RSTEP_NAMES = ['递交入党申请书', '党组织派人谈话', '推荐和确定入党积极分子', '报上级党委备案', '指定培养联系人',
  '培养教育考察', '确定发展对象', '报上级党委备案', '确定入党介绍人', '进行政治审查', '开展集中培训', '支部委员会审查',
  '上级党委预审', '填写入党志愿书', '支部大会讨论', '上级党委派人谈话', '上级党委审批', '再上级党委组织部门备案',
  '编入党支部和党小组', '入党宣誓', '继续教育考察', '提出转正申请', '支部大会讨论转正', '上级党委审批转正', '材料归档'];

/** Steps the 上级党委 records (the approving 党委's write permission). */
export const SUPERIOR_STEPS = [4, 8, 13, 16, 17, 18, 24];

/** The stages in order and the steps in each (recruit.h). */
export const STAGE_ORDER = ['applicant', 'activist', 'candidate', 'probationary', 'full'];

/** Today as "YYYY-MM-DD" in China time, the server's today. */
export const isoDay = chinaToday;

/** Past its due date (the last day it may be done): overdue. */
export function isOverdue(next, today = isoDay()) {
  return !!(next && next.step && next.due && next.due < today);
}
