// 村级后备干部: the codes the server takes and their names (src/reserve/reserve.c).
export const RES_SOURCES = { achiever: '本村致富能手', graduate: '返乡大学生', veteran: '退役军人', returnee: '外出务工返乡', group_leader: '村民小组长', other: '其他' };
export const RES_POLITICAL = { masses: '群众', league: '共青团员', activist: '入党积极分子', democratic: '民主党派' };
export const RES_REMOVALS = { disqualified: '取消后备干部资格', elected: '已进入村“两委”', away: '外出', other: '其他' };
export const RES_RESULTS = { excellent: '优秀', pass: '合格', fail: '不合格' };
export const RES_POSTS = ['村委会主任助理', '村党支部书记助理', '村文书', '村会计助理', '村妇联主席助理'];
export const TRIAL_STATES = { planned: '未开始', current: '试岗中', due: '待考核', assessed: '已考核' };

/** Today as YYYY-MM-DD in China time, the server's today. */
export { chinaToday as todayText } from './dates.js';
