// 评星晋级: labels and where each indicator's records are shown.
export const TIERS = [['advanced', '先进'], ['middle', '中间'], ['lagging', '后进']];

export function starText(n) {
  return ['', '一星', '二星', '三星', '四星', '五星'][n] || '';
}

/** The screen that lists the records behind an indicator's source, or null. */
export function sourceLink(source) {
  const m = /^([a-z]+):org:(\d+)(?::(\d{4}))?$/.exec(source || '');
  if (!m) return null;
  const [, kind, org, year] = m;
  switch (kind) {
    case 'compliance': return { path: '/life', query: { org, tab: 'compliance', period: year } };
    case 'attendance': return { path: '/life', query: { org, tab: 'meetings' } };
    case 'dues': return { path: '/dues', query: { org, month: year + '-12' } };
    case 'recruit': return { path: '/recruit/alerts', query: { org } };
    case 'study': return { path: '/orgs/' + org + '/study', query: { year } };
    case 'warnings': return { path: '/lists/warnings', query: { org } };
    case 'disclose': return { path: '/orgs/' + org + '/disclosures', query: {} };
    case 'rectify': return { path: '/rectify', query: { org } };
    default: return null;
  }
}
