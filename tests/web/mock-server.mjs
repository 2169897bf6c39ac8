// An in-memory stand-in for the zhibu API of docs/API.md, used only while
// the C server does not have an endpoint yet (ZHIBU_WEB_MOCK=1).  It lets
// the browser tests and the screens be exercised before the real endpoint
// lands; the real server is always the default.  Not a reference
// implementation: shapes follow docs/API.md and docs/WEB.md.
import http from 'node:http';
import { readFileSync, existsSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join, extname } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const PY = { 欧: 'ou', 阳: 'yang', 明: 'ming', 辉: 'hui', 张: 'zhang', 秀: 'xiu', 英: 'ying', 李: 'li', 建: 'jian',
  国: 'guo', 王: 'wang', 芳: 'fang', 赵: 'zhao', 红: 'hong', 梅: 'mei', 孙: 'sun', 卫: 'wei', 东: 'dong', 周: 'zhou',
  晓: 'xiao', 燕: 'yan', 陈: 'chen', 导: 'dao', 入: 'ru', 甲: 'jia', 乙: 'yi', 林: 'lin', 错: 'cuo', 号: 'hao',
  刘: 'liu', 杨: 'yang', 黄: 'huang', 吴: 'wu', 徐: 'xu', 朱: 'zhu', 马: 'ma', 胡: 'hu', 郭: 'guo', 何: 'he',
  高: 'gao', 罗: 'luo', 郑: 'zheng', 梁: 'liang', 谢: 'xie', 宋: 'song', 唐: 'tang', 许: 'xu', 韩: 'han', 冯: 'feng',
  伟: 'wei', 强: 'qiang', 军: 'jun', 平: 'ping', 华: 'hua', 丽: 'li', 敏: 'min', 静: 'jing', 磊: 'lei', 洋: 'yang',
  勇: 'yong', 艳: 'yan', 杰: 'jie', 娟: 'juan', 涛: 'tao', 超: 'chao', 霞: 'xia', 刚: 'gang', 桂: 'gui', 兰: 'lan' };
const TYPES = { committee: '党委', general_branch: '党总支', branch: '党支部', joint_branch: '联合党支部', temp_branch: '临时党支部', online_branch: '网络支部', group: '党小组' };
const DOMAINS = { rural: '农村', community: '城市社区', organ: '机关', soe: '国有企业', private: '非公企业', other: '其他' };
const MT = { plenary: '支部党员大会', committee: '支部委员会', group: '党小组会', lecture: '党课', theme_day: '主题党日', life_meeting: '组织生活会', appraisal: '民主评议党员', talk: '谈心谈话', other: '其他' };
const ROLES = {
  org_admin: ['组织部管理员', 'org.read,org.write,member.read,member.write,member.sensitive,member.import,member.export,meeting.read,meeting.write,meeting.unlock,stats.read,user.manage'],
  party_worker: ['党务工作者', 'org.read,member.read,member.write,member.import,member.export,meeting.read,meeting.write,stats.read'],
  member: ['党员', 'self.read,self.write,meeting.signin'],
  audit_admin: ['审计管理员', 'org.read,audit.read'],
};
const pinyin = (name) => [...name].map((c) => PY[c] || '').join('');
const initials = (name) => [...name].map((c) => (PY[c] || '')[0] || '').join('');
const now = () => Math.floor(Date.now() / 1000);

function idError(id) {
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号应为 18 位（最后一位可以是 X）';
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0; for (let i = 0; i < 17; i++) s += Number(id[i]) * w[i];
  if ('10X98765432'[s % 11] !== id[17]) return '身份证号校验位错误，请核对后重新输入';
  return null;
}

export function createMock() {
  let seq = 1;
  const orgs = new Map(), users = new Map(), sessions = new Map(), members = new Map(), meetings = new Map();
  const imports = new Map(), tokens = new Map(), audit = [];
  const addOrg = (o) => {
    const id = seq++;
    const parent = o.parent_id ? orgs.get(o.parent_id) : null;
    const org = { id, parent_id: parent ? parent.id : null, path: (parent ? parent.path : '/') + id + '/', depth: parent ? parent.depth + 1 : 0,
      name: o.name, short_name: o.short_name || null, code: o.code || null, type: o.type, type_name: TYPES[o.type] || o.type,
      domain: o.domain || null, domain_name: DOMAINS[o.domain] || null, founded_on: o.founded_on || null, address: o.address || null,
      contact: o.contact || null, dissolved_on: null };
    orgs.set(id, org);
    return org;
  };
  const root = addOrg({ name: '中共示范县委员会', type: 'committee', domain: 'organ' });
  const addUser = (username, password, display_name, role, org_id, member_id = null) => {
    const u = { id: seq++, username, password, display_name, member_id, failed: 0, locked: 0, grants: [] };
    u.grants.push({ id: seq++, role, role_name: ROLES[role][0], org_id, org_name: orgs.get(org_id).name });
    users.set(username, u);
    return u;
  };
  addUser('admin', process.env.ZHIBU_ADMIN_PASSWORD || 'admin', '管理员', 'org_admin', root.id);

  const withCounts = (o) => {
    const ms = [...members.values()].filter((m) => orgs.get(m.org_id).path.startsWith(o.path) && m.status !== 'removed');
    return { ...o, member_count: ms.length, full_member_count: ms.filter((m) => m.category === 'full').length,
      child_count: [...orgs.values()].filter((c) => c.parent_id === o.id).length };
  };
  const userJson = (u) => ({ id: u.id, username: u.username, display_name: u.display_name, member_id: u.member_id, grants: u.grants,
    perms: [...new Set(u.grants.flatMap((g) => ROLES[g.role][1].split(',')))] });
  const perms = (u) => userJson(u).perms;
  const scopes = (u, perm) => u.grants.filter((g) => ROLES[g.role][1].split(',').includes(perm)).map((g) => orgs.get(g.org_id).path);
  const inScope = (u, perm, org) => org && scopes(u, perm).some((p) => org.path.startsWith(p));
  const memberJson = (m) => {
    const age = m.full_date ? new Date().getFullYear() - Number(m.full_date.slice(0, 4)) : null;
    return { ...m, org_name: orgs.get(m.org_id).name, id_number: m.id_number ? m.id_number.slice(0, 6) + '********' + m.id_number.slice(14) : null,
      phone: m.phone ? m.phone.slice(0, 3) + '****' + m.phone.slice(7) : null, party_age: age, pinyin: pinyin(m.name), designations: [] };
  };
  const fail = (res, status, code, message, field) => send(res, status, { error: { code, message, ...(field ? { field } : {}) } });
  function send(res, status, body, type = 'application/json') {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(type === 'application/json' ? JSON.stringify(body) : body);
  }
  const log = (u, action, object_type, object_id) => audit.push({ id: audit.length + 1, at: now(), user_id: u && u.id, username: u && u.username, ip: '127.0.0.1', action, object_type, object_id: String(object_id ?? ''), detail: null });

  function validateMember(b, partial) {
    if (!partial && !b.name) return ['name', '请填写姓名'];
    if (b.id_number) { const e = idError(b.id_number); if (e) return ['id_number', e]; }
    if (b.phone && !/^1\d{10}$/.test(b.phone)) return ['phone', '手机号应为 11 位数字'];
    return null;
  }
  const FIELDS = ['name', 'gender', 'ethnicity', 'birth_date', 'id_number', 'native_place', 'education', 'degree', 'work_unit', 'job_title',
    'category', 'join_date', 'full_date', 'phone', 'address', 'status', 'remarks', 'org_id'];
  function addMember(b) {
    const m = { id: seq++, status: 'normal', category: 'full', created_at: now(), updated_at: now(), history: [] };
    for (const k of FIELDS) if (b[k] !== undefined) m[k] = b[k];
    if (!m.birth_date && m.id_number) m.birth_date = `${m.id_number.slice(6, 10)}-${m.id_number.slice(10, 12)}-${m.id_number.slice(12, 14)}`;
    if (!m.gender && m.id_number) m.gender = Number(m.id_number[16]) % 2 ? 'M' : 'F';
    members.set(m.id, m);
    return m;
  }
  const HEAD = { 姓名: 'name', 性别: 'gender', 民族: 'ethnicity', 身份证号: 'id_number', 公民身份号码: 'id_number', 出生日期: 'birth_date', 学历: 'education',
    入党日期: 'join_date', 转正日期: 'full_date', 人员类别: 'category', 党员类别: 'category', 手机号: 'phone', 联系电话: 'phone', 工作单位: 'work_unit' };
  function readTable(buf, filename) {
    if (/\.xlsx$/i.test(filename)) {
      const dir = mkdtempSync(join(tmpdir(), 'mock-imp-')); const f = join(dir, 'in.xlsx'); writeFileSync(f, buf);
      const r = spawnSync('/usr/bin/python3', ['-c', 'import json,sys\nfrom openpyxl import load_workbook\nws=load_workbook(sys.argv[1]).active\nprint(json.dumps([[("" if c is None else str(c)) for c in r] for r in ws.iter_rows(values_only=True)]))', f], { encoding: 'utf8' });
      return JSON.parse(r.stdout);
    }
    return buf.toString('utf8').replace(/^\ufeff/, '').split(/\r?\n/).filter((l) => l.trim()).map((l) => l.split(','));
  }
  function compliance(org, period) {
    let from, to;
    const y = Number(period.slice(0, 4));
    if (/Q/.test(period)) { const q = Number(period.slice(5)); from = new Date(y, (q - 1) * 3, 1); to = new Date(y, q * 3, 1); }
    else if (/-/.test(period)) { const mo = Number(period.slice(5)); from = new Date(y, mo - 1, 1); to = new Date(y, mo, 1); }
    else { from = new Date(y, 0, 1); to = new Date(y + 1, 0, 1); }
    const months = Math.round((to - from) / (86400000 * 30.4));
    const need = { plenary: Math.max(1, Math.round(months / 3)), committee: months, theme_day: months };
    const items = [];
    for (const b of [...orgs.values()].filter((o) => o.path.startsWith(org.path) && /branch/.test(o.type))) {
      for (const [type, required] of Object.entries(need)) {
        const held = [...meetings.values()].filter((m) => m.org_id === b.id && m.type === type && m.start_at * 1000 >= from && m.start_at * 1000 < to).length;
        items.push({ org_id: b.id, org_name: b.name, type, type_name: MT[type], required, held, ok: held >= required });
      }
    }
    return { period, items, rate: items.length ? items.filter((i) => i.ok).length / items.length : null };
  }
  const meetingJson = (m) => ({ ...m, org_name: orgs.get(m.org_id).name, type_name: MT[m.type] || m.type,
    attendance: m.attendance.map((a) => ({ ...a, name: members.get(a.member_id)?.name })) });

  async function handle(req, res, body) {
    const u0 = new URL(req.url, 'http://x');
    const path = u0.pathname.replace(/^\/api\/v1/, '');
    const q = Object.fromEntries(u0.searchParams);
    const J = () => { try { return JSON.parse(body.toString('utf8') || '{}'); } catch (e) { return null; } };
    const M = req.method;
    if (path === '/health') return send(res, 200, { status: 'ok', version: 'mock', db: 'mock' });
    if (path === '/openapi.json') return send(res, 200, { openapi: '3.1.0', paths: ROUTES.reduce((a, [m, p]) => { (a['/api/v1' + p] ||= {})[m.toLowerCase()] = {}; return a; }, {}) });
    if (path === '/auth/login' && M === 'POST') {
      const b = J() || {};
      const u = users.get(b.username);
      if (u && u.locked > now()) return fail(res, 423, 'account_locked', '账号因多次密码错误已被锁定，请在 15 分钟后再试');
      if (!u || u.password !== b.password) {
        if (u && ++u.failed >= 5) { u.locked = now() + 900; u.failed = 0; }
        log(u, 'auth.login_failed', 'user', u && u.id);
        return fail(res, 401, 'unauthenticated', '用户名或密码错误');
      }
      u.failed = 0;
      const token = randomBytes(16).toString('hex'), csrf = randomBytes(16).toString('hex');
      sessions.set(token, { user: u.username, csrf });
      log(u, 'auth.login', 'user', u.id);
      res.setHeader('Set-Cookie', `zhibu_session=${token}; Path=/; HttpOnly; SameSite=Strict`);
      return send(res, 200, { user: userJson(u), csrf_token: csrf });
    }
    const cookie = /zhibu_session=([^;]+)/.exec(req.headers.cookie || '');
    const sess = cookie && sessions.get(cookie[1]);
    if (path === '/auth/logout' && M === 'POST') { if (cookie) sessions.delete(cookie[1]); return send(res, 200, { ok: true }); }
    if (!sess) return fail(res, 401, 'unauthenticated', '请先登录');
    const u = users.get(sess.user);
    if (M !== 'GET' && req.headers['x-csrf-token'] !== sess.csrf) return fail(res, 403, 'csrf_failed', '页面已过期，请刷新后重试');
    const need = (p) => { if (!perms(u).includes(p)) { fail(res, 403, 'forbidden', '没有权限进行此操作'); return false; } return true; };
    let mm;
    if (path === '/auth/me') return send(res, 200, { user: userJson(u), csrf_token: sess.csrf });
    if (path === '/auth/password' && M === 'POST') { const b = J(); if (b.old_password !== u.password) return fail(res, 400, 'invalid_input', '原密码不正确', 'old_password'); u.password = b.new_password; return send(res, 200, { ok: true }); }
    if (path === '/__mock/user' && M === 'POST') { const b = J(); addUser(b.username, b.password, b.display_name, b.role, b.org_id, b.member_id || null); return send(res, 200, { ok: true }); }
    if (path === '/orgs' && M === 'GET') {
      const ps = scopes(u, 'org.read');
      const rootsV = [...orgs.values()].filter((o) => ps.includes(o.path) && !ps.some((p) => p !== o.path && o.path.startsWith(p)));
      return send(res, 200, { items: rootsV.map(withCounts), total: rootsV.length });
    }
    if (path === '/orgs' && M === 'POST') { if (!need('org.write')) return; const b = J(); if (!inScope(u, 'org.write', orgs.get(b.parent_id))) return fail(res, 404, 'not_found', '没有找到上级组织'); return send(res, 201, withCounts(addOrg(b))); }
    if (path === '/orgs/search') {
      const under = orgs.get(Number(q.under)) || root;
      const list = [...orgs.values()].filter((o) => inScope(u, 'org.read', o) && o.path.startsWith(under.path) && o.name.includes(q.q || ''));
      return send(res, 200, { items: list.map(withCounts) });
    }
    if ((mm = /^\/orgs\/(\d+)(\/[a-z]+)?$/.exec(path))) {
      const o = orgs.get(Number(mm[1]));
      if (!inScope(u, 'org.read', o)) return fail(res, 404, 'not_found', '没有找到该组织，或不在您的管理范围内');
      const sub = mm[2] || '';
      const inTree = (m) => orgs.get(m.org_id).path.startsWith(o.path);
      if (!sub) return send(res, 200, { ...withCounts(o), committee: [], term: null });
      if (sub === '/children') { const c = [...orgs.values()].filter((x) => x.parent_id === o.id); return send(res, 200, { items: c.map(withCounts), total: c.length }); }
      if (sub === '/stats') {
        const ms = [...members.values()].filter(inTree);
        const count = (f) => ms.reduce((a, m) => { const k = f(m) || '未填'; a[k] = (a[k] || 0) + 1; return a; }, {});
        const ageOf = (m) => { const a = new Date().getFullYear() - Number((m.birth_date || '1980').slice(0, 4)); return a <= 35 ? '35岁及以下' : a <= 45 ? '36-45岁' : a <= 55 ? '46-55岁' : a <= 60 ? '56-60岁' : '61岁及以上'; };
        return send(res, 200, { members: { total: ms.length, by_category: count((m) => m.category), by_gender: count((m) => m.gender), by_age: count(ageOf), by_education: count((m) => m.education) },
          orgs: { total: [...orgs.values()].filter((x) => x.path.startsWith(o.path)).length }, warnings: 0 });
      }
      if (sub === '/warnings') {
        const items = [];
        for (const b of [...orgs.values()].filter((x) => x.path.startsWith(o.path) && /branch/.test(x.type))) {
          const full = [...members.values()].filter((m) => m.org_id === b.id && m.category === 'full').length;
          if (full < 3) items.push({ org_id: b.id, org_name: b.name, kind: 'too_few', level: 'warn', message: `正式党员 ${full} 人，不足 3 人，应成立联合党支部` });
          items.push({ org_id: b.id, org_name: b.name, kind: 'no_term', level: 'info', message: '尚未登记支部委员会任期' });
        }
        return send(res, 200, { items });
      }
      if (sub === '/compliance') return send(res, 200, compliance(o, q.period || '2026Q4'));
      if (sub === '/calendar') {
        const d = new Date(); const c = compliance(o, d.getFullYear() + 'Q' + (Math.floor(d.getMonth() / 3) + 1));
        return send(res, 200, { items: c.items.map((i) => ({ ...i, period: c.period, status: i.ok ? 'done' : 'due', due_on: null })) });
      }
      if (sub === '/risks') {
        const items = [];
        for (const m of [...members.values()].filter(inTree)) {
          const last = [...meetings.values()].filter((x) => x.attendance.some((a) => a.member_id === m.id && a.status === 'present')).map((x) => x.start_at).sort().pop();
          const months = last ? Math.floor((now() - last) / (86400 * 30)) : 6;
          if (months >= 3) items.push({ member_id: m.id, name: m.name, org_name: orgs.get(m.org_id).name, months: months >= 6 ? 6 : months >= 5 ? 5 : 3 });
        }
        return send(res, 200, { items });
      }
      if (sub === '/birthdays') {
        const items = [...members.values()].filter(inTree).filter((m) => m.join_date).map((m) => {
          const d = new Date(new Date().getFullYear() + m.join_date.slice(4)); if (d < Date.now() - 86400000) d.setFullYear(d.getFullYear() + 1);
          return { member_id: m.id, name: m.name, org_name: orgs.get(m.org_id).name, join_date: m.join_date, date: d.toISOString().slice(0, 10), years: d.getFullYear() - Number(m.join_date.slice(0, 4)), _d: d };
        }).filter((x) => x._d - Date.now() < Number(q.days || 30) * 86400000).map(({ _d, ...x }) => x);
        return send(res, 200, { items });
      }
      if (sub === '/coverage') return send(res, 200, { total: 0, covered: 0, items: [] });
      return fail(res, 404, 'not_found', '没有这个接口：' + path);
    }
    if (path === '/members' && M === 'GET') {
      if (!need('member.read')) return;
      const o = orgs.get(Number(q.org)) || root;
      if (!inScope(u, 'member.read', o)) return fail(res, 404, 'not_found', '没有找到该组织，或不在您的管理范围内');
      let list = [...members.values()].filter((m) => orgs.get(m.org_id).path.startsWith(o.path));
      for (const k of ['category', 'status', 'gender', 'education']) if (q[k]) list = list.filter((m) => m[k] === q[k]);
      if (q.q) { const s = q.q.toLowerCase(); list = list.filter((m) => m.name.startsWith(q.q) || pinyin(m.name).startsWith(s) || initials(m.name).startsWith(s)); }
      list.sort((a, b) => pinyin(a.name).localeCompare(pinyin(b.name)) || a.id - b.id);
      const start = Number(q.after || 0), limit = Math.min(Number(q.limit || 50), 200);
      const page = list.slice(start, start + limit);
      return send(res, 200, { items: page.map(memberJson), total: list.length, ...(start + limit < list.length ? { next: String(start + limit) } : {}) });
    }
    if (path === '/members' && M === 'POST') {
      if (!need('member.write')) return;
      const b = J(); const o = orgs.get(Number(b.org_id));
      if (!inScope(u, 'member.write', o)) return fail(res, 404, 'not_found', '没有找到该组织', 'org_id');
      const e = validateMember(b); if (e) return fail(res, 400, 'invalid_input', e[1], e[0]);
      const m = addMember(b); log(u, 'member.create', 'member', m.id);
      return send(res, 201, memberJson(m));
    }
    if (path === '/members/export') { const list = [...members.values()].filter((m) => inScope(u, 'member.export', orgs.get(m.org_id))); return send(res, 200, '姓名,性别\n' + list.map((m) => m.name + ',' + m.gender).join('\n'), 'text/csv'); }
    if ((mm = /^\/members\/(\d+)(\/history)?$/.exec(path))) {
      const m = members.get(Number(mm[1]));
      if (!m || !inScope(u, 'member.read', orgs.get(m.org_id))) return fail(res, 404, 'not_found', '没有找到该党员，或不在您的管理范围内');
      if (mm[2]) return send(res, 200, { items: m.history });
      if (M === 'GET') { log(u, 'member.read', 'member', m.id); return send(res, 200, memberJson(m)); }
      if (M === 'PATCH') {
        if (!need('member.write')) return;
        const b = J(); const e = validateMember(b, true); if (e) return fail(res, 400, 'invalid_input', e[1], e[0]);
        for (const k of ['category', 'status', 'org_id']) {
          if (b[k] !== undefined && b[k] !== m[k]) {
            if (!b.reason) return fail(res, 400, 'invalid_input', '请填写变动原因', 'reason');
            m.history.unshift({ date: new Date().toISOString().slice(0, 10), field: k, from: m[k], to: b[k], reason: b.reason });
          }
        }
        for (const k of FIELDS) if (b[k] !== undefined) m[k] = b[k];
        m.updated_at = now(); log(u, 'member.update', 'member', m.id);
        return send(res, 200, memberJson(m));
      }
    }
    if (path === '/me/member') {
      const m = u.member_id && members.get(u.member_id); if (!m) return fail(res, 404, 'not_found', '您的账号没有关联党员档案');
      const ms = [...meetings.values()].filter((x) => x.attendance.some((a) => a.member_id === m.id)).map((x) => ({ id: x.id, title: x.title, start_at: x.start_at, status: x.attendance.find((a) => a.member_id === m.id).status }));
      return send(res, 200, { ...memberJson(m), meetings: ms });
    }
    if (path === '/imports' && M === 'POST') {
      if (!need('member.import')) return;
      const o = orgs.get(Number(q.org)); if (!inScope(u, 'member.import', o)) return fail(res, 404, 'not_found', '没有找到该组织');
      const rows = readTable(body, q.filename || ''); const head = rows.shift().map((h) => HEAD[h.trim()] || null);
      const out = []; const counts = { new: 0, update: 0, unchanged: 0, error: 0 };
      rows.forEach((r, i) => {
        const rec = {}; head.forEach((k, j) => { if (k && r[j]) rec[k] = String(r[j]).trim(); });
        if (rec.gender) rec.gender = rec.gender === '女' ? 'F' : 'M';
        if (rec.category) rec.category = /预备/.test(rec.category) ? 'probationary' : 'full';
        const errors = []; if (!rec.name) errors.push('缺少姓名'); if (rec.id_number) { const e = idError(rec.id_number); if (e) errors.push(e); }
        const st = errors.length ? 'error' : 'new'; counts[st]++;
        out.push({ row: i + 2, status: st, name: rec.name, id_number: rec.id_number ? rec.id_number.slice(0, 6) + '********' + rec.id_number.slice(14) : null, errors, changes: [], _rec: { ...rec, org_id: o.id } });
      });
      const id = String(seq++); imports.set(id, out);
      return send(res, 200, { id, counts, rows: out.map(({ _rec, ...r }) => r) });
    }
    if ((mm = /^\/imports\/(\d+)\/commit$/.exec(path))) {
      const rows = imports.get(mm[1]); if (!rows) return fail(res, 404, 'not_found', '导入批次不存在或已过期');
      if (rows.some((r) => r.status === 'error')) return fail(res, 400, 'invalid_input', '有错误的行，不能导入');
      rows.forEach((r) => addMember(r._rec)); imports.delete(mm[1]);
      return send(res, 200, { new: rows.length, update: 0, unchanged: 0 });
    }
    if (path === '/meetings' && M === 'GET') {
      const o = orgs.get(Number(q.org)) || root; if (!inScope(u, 'meeting.read', o)) return fail(res, 404, 'not_found', '没有找到该组织');
      const list = [...meetings.values()].filter((m) => orgs.get(m.org_id).path.startsWith(o.path) && (!q.type || m.type === q.type)).sort((a, b) => b.start_at - a.start_at);
      return send(res, 200, { items: list.map((m) => ({ ...meetingJson(m), attendance: undefined, present_count: m.attendance.filter((a) => a.status === 'present').length, expected_count: m.attendance.length })), total: list.length });
    }
    if (path === '/meetings' && M === 'POST') {
      if (!need('meeting.write')) return;
      const b = J(); const o = orgs.get(Number(b.org_id)); if (!inScope(u, 'meeting.write', o)) return fail(res, 404, 'not_found', '没有找到该组织', 'org_id');
      if (!MT[b.type]) return fail(res, 400, 'invalid_input', '会议类型不正确', 'type');
      if (b.type === 'lecture' && !b.speaker) return fail(res, 400, 'invalid_input', '党课应填写授课人', 'speaker');
      const m = { id: seq++, ...b, attendance: [], resolutions: [], created_at: now() }; meetings.set(m.id, m);
      return send(res, 201, meetingJson(m));
    }
    if ((mm = /^\/meetings\/(\d+)(\/[a-z]+)?$/.exec(path))) {
      const m = meetings.get(Number(mm[1])); if (!m || !inScope(u, 'meeting.read', orgs.get(m.org_id))) return fail(res, 404, 'not_found', '没有找到该会议');
      const sub = mm[2] || '';
      if (!sub && M === 'GET') return send(res, 200, meetingJson(m));
      if (sub === '/attendance' && M === 'PUT') {
        const b = J(); for (const a of b.items) if (a.status === 'leave' && !a.reason) return fail(res, 400, 'invalid_input', '请假需要填写原因', 'reason');
        m.attendance = b.items.map((a) => ({ ...a, signed_in_at: (m.attendance.find((x) => x.member_id === a.member_id) || {}).signed_in_at })); return send(res, 200, meetingJson(m));
      }
      if (sub === '/resolutions' && M === 'POST') { const b = J(); const r = { id: seq++, ...b, passed: b.yes * 2 > m.attendance.length }; m.resolutions.push(r); return send(res, 201, r); }
      if (sub === '/signin' && M === 'POST') {
        const token = randomBytes(12).toString('base64url'); tokens.set(token, m.id);
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21"><rect width="21" height="21" fill="#fff"/>${[...token].map((c, i) => (c.charCodeAt(0) % 2 ? `<rect x="${i % 21}" y="${(i * 7) % 21}" width="1" height="1"/>` : '')).join('')}<rect x="0" y="0" width="7" height="7" fill="none" stroke="#000"/></svg>`;
        return send(res, 200, { token, expires_at: now() + 7200, svg });
      }
      if (sub === '/print') return send(res, 200, `<!doctype html><meta charset="utf-8"><title>${m.title}</title><h1>${m.title}</h1>`, 'text/html; charset=utf-8');
    }
    if (path === '/signin' && M === 'POST') {
      const b = J(); const mid = tokens.get(b.token); if (!mid) return fail(res, 400, 'invalid_input', '签到二维码已失效，请让会议组织者重新打开签到码', 'token');
      const m = meetings.get(mid); if (!u.member_id) return fail(res, 403, 'forbidden', '您的账号没有关联党员档案，不能签到');
      let a = m.attendance.find((x) => x.member_id === u.member_id); if (!a) { a = { member_id: u.member_id, status: 'present' }; m.attendance.push(a); }
      a.status = 'present'; a.signed_in_at = now();
      return send(res, 200, { ok: true, meeting_id: m.id, meeting_title: m.title, signed_in_at: a.signed_in_at });
    }
    if (path === '/audit') {
      if (!need('audit.read')) return;
      let list = [...audit].reverse();
      if (q.action) list = list.filter((r) => r.action.includes(q.action));
      if (q.user) list = list.filter((r) => (r.username || '').includes(q.user));
      return send(res, 200, { items: list.slice(0, 50), total: list.length });
    }
    if (path === '/audit/verify') return send(res, 200, { ok: true, rows: audit.length });
    return fail(res, 404, 'not_found', '没有这个接口：' + path);
  }

  const ROUTES = [['POST', '/members'], ['GET', '/members'], ['GET', '/members/{id}'], ['PATCH', '/members/{id}'], ['GET', '/members/{id}/history'],
    ['POST', '/imports'], ['POST', '/imports/{id}/commit'], ['POST', '/meetings'], ['GET', '/meetings'], ['GET', '/meetings/{id}'],
    ['PUT', '/meetings/{id}/attendance'], ['POST', '/meetings/{id}/resolutions'], ['POST', '/meetings/{id}/signin'], ['POST', '/signin'],
    ['GET', '/orgs/{id}/compliance'], ['GET', '/orgs/{id}/stats'], ['GET', '/me/member'], ['GET', '/orgs/search']];

  return { handle, addUser, orgs, users };
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.webmanifest': 'application/manifest+json' };

/** Start the mock on a port, serving webRoot like zhibu does (same CSP). */
export function serveMock(port, webRoot) {
  const mock = createMock();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url.startsWith('/api/')) {
        Promise.resolve(mock.handle(req, res, body)).catch((e) => { res.writeHead(500); res.end(JSON.stringify({ error: { code: 'internal_error', message: String(e) } })); });
        return;
      }
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = join(webRoot, p);
      if (!file.startsWith(webRoot) || !existsSync(file) || statSync(file).isDirectory()) file = join(webRoot, 'index.html');
      res.writeHead(200, { 'Content-Type': MIME[extname(file)] || 'application/octet-stream',
        'Content-Security-Policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'" });
      res.end(readFileSync(file));
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, mock })));
}
