// 帮扶: the names of the codes the API sends (api/api_aid.c) and the
// phrases a visitor taps instead of typing.
export const AID_STATUS = { helping: '在帮', lifted: '已脱贫', monitor: '监测户' };
export const AID_CATEGORY = { tuopin: '脱贫户', monitor: '监测户', dibao: '低保户', tekun: '特困供养户', other: '其他' };
export const AID_KIND = { helper: '帮扶责任人', contact: '党员联系户' };
export const VISIT_PHRASES = ['了解家庭收入和务工情况', '宣讲惠民政策', '核对低保和医保', '了解住房和饮水安全',
  '帮助联系产业项目', '协调解决就学就医困难'];
