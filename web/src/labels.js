// Chinese names of the API's codes, in one place.
export const ORG_TYPES = { committee: '党委', general_branch: '党总支', branch: '党支部',
  joint_branch: '联合党支部', temp_branch: '临时党支部', online_branch: '网络支部', group: '党小组' };
export const DOMAINS = { rural: '农村', community: '城市社区', organ: '机关', soe: '国有企业',
  private: '非公企业', social: '社会组织', university: '高校', school: '中小学校',
  research: '科研院所', hospital: '医院', other: '其他' };
export const CATEGORIES = { full: '正式党员', probationary: '预备党员' };
export const STATUSES = { normal: '正常', mobile: '流动', lost: '失联', abroad: '出国（境）',
  suspended: '停止党籍', removed: '出党', deceased: '死亡', transferred: '已转出' };
export const GENDERS = { M: '男', F: '女' };
export const EDUCATIONS = ['研究生', '大学本科', '大学专科', '中等专科', '高中', '初中', '小学及以下'];
// Meeting types (三会一课 and related).  Codes as the server expects them.
export const MEETING_TYPES = {
  plenary: '支部党员大会', committee: '支部委员会', group: '党小组会', lecture: '党课',
  theme_day: '主题党日', life_meeting: '组织生活会', appraisal: '民主评议党员', talk: '谈心谈话', other: '其他',
};
export const ATTEND = { present: '出席', leave: '请假', absent: '缺席' };
export const IMPORT_STATUS = { new: '新增', update: '更新', unchanged: '无变化', error: '有错误' };
export const WARN_LEVELS = { info: '提示', warn: '注意', warning: '注意', error: '严重', danger: '严重', critical: '严重' };

export function label(map, v) {
  if (v === null || v === undefined || v === '') return '—';
  return map[v] || String(v);
}

/** A stored protected value as shown: a mask with no character left
 * (an ID number for a role without member.sensitive) says it is on record
 * rather than printing a line of 18 stars. */
export function shownMasked(v) {
  return v && /^\*+$/.test(v) ? '已登记 ****' : v;
}

export function fmtDate(v) {
  if (!v) return '—';
  if (typeof v === 'number') {
    const d = new Date(v * 1000);
    return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
  }
  return String(v).slice(0, 10);
}
export function fmtTime(v) {
  if (!v) return '—';
  const d = new Date(typeof v === 'number' ? v * 1000 : v);
  if (isNaN(d)) return String(v);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
export function currentQuarter(d = new Date()) {
  return d.getFullYear() + 'Q' + (Math.floor(d.getMonth() / 3) + 1);
}
/** A share 0..1 (compliance, attendance, talk coverage) as a percentage. */
export function pct(v) {
  if (v === null || v === undefined || isNaN(v)) return '—';
  return (Math.round(Number(v) * 1000) / 10) + '%';
}
/** A value already in percent (unit coverage: 0..100, one decimal; null when nothing to cover). */
export function percent(v) {
  if (v === null || v === undefined || isNaN(v)) return '—';
  return Number(v) + '%';
}

/** Chart pairs of a count map {code: n}, e.g. OrgStats members.category. */
export function mapPairs(counts, names = {}) {
  return Object.entries(counts).map(([k, v]) => ({ name: names[k] || (k === 'unknown' ? '未填写' : k), value: v }));
}

/** Chart pairs of count rows [{<key>: label, n}], e.g. OrgStats members.age_bands (key 'band'). */
export function countPairs(rows, key) {
  return rows.map((r) => ({ name: r[key], value: r.n }));
}

// 发展党员: stages, sources, recommendation, outcomes and conclusions (codes as in src/recruit/recruit.h).
export const RSTAGES = { applicant: '申请人', activist: '入党积极分子', candidate: '发展对象', probationary: '预备党员', full: '正式党员' };
export const RSOURCES = { achiever: '致富能手', returnee: '返乡创业人员', veteran: '复转军人', graduate: '大学生', young_farmer: '青年农民', other: '其他' };
export const RECOMMENDED_BY = { league: '共青团推优', members: '党员推荐' };
export const ROUTCOMES = { full: '按期转为正式党员', extend: '延长预备期', cancel: '取消预备党员资格' };
export const CONCLUSIONS = { pass: '合格', fail: '不合格' };
