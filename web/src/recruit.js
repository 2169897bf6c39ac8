// 发展党员 on the screens: the 25 steps of the 发展党员工作细则 (2014) and the
// facts the record-step form asks for at each (the server's body fields of
// POST /applicants/{id}/steps; src/api/api_recruit.c).  The rules
// themselves are the server's: the form sends, the server refuses with a
// message naming the rule and the dates (409), shown in the form.

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
  24: ['outcome', 'delay_reason'],
};

/** Steps the 上级党委 records (the approving 党委's write permission). */
export const SUPERIOR_STEPS = [4, 8, 13, 16, 17, 18, 24];

/** The stages in order and the steps in each (recruit.h). */
export const STAGE_ORDER = ['applicant', 'activist', 'candidate', 'probationary', 'full'];

/** A date as "YYYY-MM-DD" in local time (the server's days). */
export function isoDay(d = new Date()) {
  const x = new Date(d); x.setMinutes(x.getMinutes() - x.getTimezoneOffset());
  return x.toISOString().slice(0, 10);
}
