// Routes.  Hash history: a QR code can point at /#/signin?token=… and the
// server needs no rewrite rules.  Every screen is its own chunk.
import { createRouter, createWebHashHistory } from 'vue-router';
import { session } from './session.js';
import { loadMe } from './boot.js';

const routes = [
  { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true, title: '登录' } },
  // a reset password is changed before anything else (bare page, like login)
  { path: '/password', component: () => import('./views/LoginPassword.vue'), meta: { public: true, title: '修改密码' } },
  { path: '/', component: () => import('./views/Home.vue'), meta: { title: '首页', nav: 'home' } },
  { path: '/orgs', component: () => import('./views/Orgs.vue'), meta: { title: '组织', nav: 'orgs' } },
  { path: '/orgs/:id', component: () => import('./views/Org.vue'), meta: { title: '组织详情', nav: 'orgs', back: true } },
  { path: '/orgs/:id/mobile-members', component: () => import('./views/MobileMembers.vue'), meta: { title: '流动党员', nav: 'orgs', back: true } },
  { path: '/members', component: () => import('./views/Members.vue'), meta: { title: '党员名册', nav: 'members' } },
  { path: '/members/new', component: () => import('./views/MemberEdit.vue'), meta: { title: '新增党员', nav: 'members', back: true } },
  { path: '/members/:id', component: () => import('./views/Member.vue'), meta: { title: '党员信息', nav: 'members', back: true } },
  { path: '/members/:id/edit', component: () => import('./views/MemberEdit.vue'), meta: { title: '修改党员信息', nav: 'members', back: true } },
  { path: '/transfers', component: () => import('./views/Transfers.vue'), meta: { title: '组织关系转接', nav: 'members', back: true } },
  { path: '/transfers/new', component: () => import('./views/TransferNew.vue'), meta: { title: '发起组织关系转接', nav: 'members', back: true } },
  { path: '/transfers/in', component: () => import('./views/TransferIn.vue'), meta: { title: '从系统外转入', nav: 'members', back: true } },
  { path: '/transfers/:id', component: () => import('./views/Transfer.vue'), meta: { title: '组织关系转接', nav: 'members', back: true } },
  { path: '/members/:id/dues', component: () => import('./views/DuesMember.vue'), meta: { title: '党员党费', nav: 'members', back: true } },
  { path: '/dues', component: () => import('./views/DuesSheet.vue'), meta: { title: '党费收缴', nav: 'home', back: true } },
  { path: '/dues/reductions', component: () => import('./views/DuesReductions.vue'), meta: { title: '党费减免审批', nav: 'home', back: true } },
  { path: '/import', component: () => import('./views/Import.vue'), meta: { title: '导入名册', nav: 'members', back: true } },
  { path: '/recruit', component: () => import('./views/RecruitBoard.vue'), meta: { title: '发展党员', nav: 'members', back: true } },
  { path: '/recruit/new', component: () => import('./views/RecruitNew.vue'), meta: { title: '登记入党申请人', nav: 'members', back: true } },
  { path: '/recruit/import', component: () => import('./views/RecruitImport.vue'), meta: { title: '导入发展党员台账', nav: 'members', back: true } },
  { path: '/recruit/funnel', component: () => import('./views/RecruitFunnel.vue'), meta: { title: '发展党员情况', nav: 'home', back: true } },
  { path: '/recruit/alerts', component: () => import('./views/RecruitAlerts.vue'), meta: { title: '发展党员预警', nav: 'home', back: true } },
  { path: '/recruit/:id(\\d+)', component: () => import('./views/RecruitPerson.vue'), meta: { title: '发展步骤', nav: 'members', back: true } },
  { path: '/orgs/:id/reserve', component: () => import('./views/ReservePool.vue'), meta: { title: '村级后备干部', nav: 'orgs', back: true } },
  { path: '/orgs/:id/reserve/new', component: () => import('./views/ReserveNew.vue'), meta: { title: '添加后备干部', nav: 'orgs', back: true } },
  { path: '/reserve', component: () => import('./views/ReserveOverview.vue'), meta: { title: '村级后备干部情况', nav: 'home', back: true } },
  { path: '/reserve/:id(\\d+)', component: () => import('./views/ReservePerson.vue'), meta: { title: '后备干部', nav: 'orgs', back: true } },
  { path: '/village', component: () => import('./views/Villages.vue'), meta: { title: '驻村工作', nav: 'home', back: true } },
  { path: '/village/teams/:id(\\d+)', component: () => import('./views/VillageTeam.vue'), meta: { title: '驻村工作队', nav: 'home', back: true } },
  { path: '/village/cadres', component: () => import('./views/VillageCadres.vue'), meta: { title: '干部和派出单位', nav: 'home', back: true } },
  { path: '/village/cadres/:id(\\d+)', component: () => import('./views/VillageCadre.vue'), meta: { title: '驻村干部', nav: 'home', back: true } },
  { path: '/village/leave', component: () => import('./views/VillageLeave.vue'), meta: { title: '驻村请假', nav: 'home', back: true } },
  { path: '/village/reviews/:id(\\d+)', component: () => import('./views/VillageReview.vue'), meta: { title: '驻村工作队考核', nav: 'home', back: true } },
  { path: '/vote', component: () => import('./views/Vote.vue'), meta: { public: true, title: '驻村工作测评' } },
  { path: '/orgs/:id/duty-reports', component: () => import('./views/DutyReports.vue'), meta: { title: '书记抓党建述职评议', nav: 'orgs', back: true } },
  { path: '/duty-reports/:id(\\d+)', component: () => import('./views/DutyReport.vue'), meta: { title: '书记述职', nav: 'orgs', back: true } },
  { path: '/village/leaves', component: () => import('./views/VillageLeaves.vue'), meta: { title: '驻村请假审批', nav: 'home', back: true } },
  { path: '/orgs/:id/disclosures', component: () => import('./views/Disclosures.vue'), meta: { title: '三务公开', nav: 'orgs', back: true } },
  { path: '/disclosures/new', component: () => import('./views/Disclosure.vue'), meta: { title: '起草公开事项', nav: 'orgs', back: true } },
  { path: '/disclosures/queue', component: () => import('./views/DisclosureQueue.vue'), meta: { title: '三务公开审核', nav: 'home', back: true } },
  { path: '/disclosures/overdue', component: () => import('./views/DisclosureOverdue.vue'), meta: { title: '三务逾期未公开', nav: 'home', back: true } },
  { path: '/disclosures/:id(\\d+)', component: () => import('./views/Disclosure.vue'), meta: { title: '三务公开事项', nav: 'orgs', back: true } },
  { path: '/aid', component: () => import('./views/AidHouseholds.vue'), meta: { title: '帮扶', nav: 'orgs', back: true } },
  { path: '/aid/visit', component: () => import('./views/AidVisit.vue'), meta: { title: '记录走访', nav: 'me', back: true } },
  { path: '/aid/:id(\\d+)', component: () => import('./views/AidHousehold.vue'), meta: { title: '帮扶户', nav: 'orgs', back: true } },
  { path: '/study', component: () => import('./views/StudyMine.vue'), meta: { title: '我的学习', nav: 'me', back: true } },
  { path: '/study/courses', component: () => import('./views/StudyCourses.vue'), meta: { title: '课程学习', nav: 'me', back: true } },
  { path: '/study/courses/manage', component: () => import('./views/StudyCoursesAdmin.vue'), meta: { title: '课程与谁已学', nav: 'orgs', back: true } },
  { path: '/study/courses/new', component: () => import('./views/CourseNew.vue'), meta: { title: '发布课程', nav: 'orgs', back: true } },
  { path: '/study/courses/:id(\\d+)', component: () => import('./views/StudyCourse.vue'), meta: { title: '课程', nav: 'me', back: true } },
  { path: '/study/import', component: () => import('./views/StudyImport.vue'), meta: { title: '导入学习记录', nav: 'orgs', back: true } },
  { path: '/orgs/:id/study', component: () => import('./views/StudyOrg.vue'), meta: { title: '党员学时', nav: 'orgs', back: true } },
  { path: '/orgs/:id/ratings', component: () => import('./views/RatingList.vue'), meta: { title: '评星晋级', nav: 'orgs', back: true } },
  { path: '/orgs/:id/rating', component: () => import('./views/RatingBranch.vue'), meta: { title: '支部评星', nav: 'orgs', back: true } },
  { path: '/members/:id/study', component: () => import('./views/StudyMine.vue'), meta: { title: '党员学时', nav: 'members', back: true } },
  { path: '/points', component: () => import('./views/PointsMine.vue'), meta: { title: '我的积分', nav: 'me', back: true } },
  { path: '/members/:id/points', component: () => import('./views/PointsMine.vue'), meta: { title: '党员积分', nav: 'members', back: true } },
  { path: '/orgs/:id/points', component: () => import('./views/PointsBranch.vue'), meta: { title: '积分审核', nav: 'orgs', back: true } },
  { path: '/report', component: () => import('./views/Report.vue'), meta: { title: '党内统计年报', nav: 'home', back: true } },
  { path: '/tasks', component: () => import('./views/Tasks.vue'), meta: { title: '工作任务', nav: 'home', back: true } },
  { path: '/tasks/new', component: () => import('./views/TaskNew.vue'), meta: { title: '下发任务', nav: 'home', back: true } },
  { path: '/tasks/:id(\\d+)', component: () => import('./views/Task.vue'), meta: { title: '任务完成情况', nav: 'home', back: true } },
  { path: '/task-targets/:id(\\d+)', component: () => import('./views/TaskTarget.vue'), meta: { title: '任务', nav: 'me', back: true } },
  { path: '/task-targets/:id(\\d+)/forward', component: () => import('./views/TaskNew.vue'), meta: { title: '转发任务', nav: 'me', back: true } },
  { path: '/rectify', component: () => import('./views/Rectify.vue'), meta: { title: '软弱涣散整顿', nav: 'home', back: true } },
  { path: '/rectify/:id(\\d+)', component: () => import('./views/RectifyPlan.vue'), meta: { title: '整顿方案', nav: 'orgs', back: true } },
  { path: '/notices', component: () => import('./views/Notices.vue'), meta: { title: '通知公告', nav: 'home', back: true } },
  { path: '/notices/new', component: () => import('./views/NoticeNew.vue'), meta: { title: '发布通知', nav: 'home', back: true } },
  { path: '/notices/:id(\\d+)', component: () => import('./views/Notice.vue'), meta: { title: '通知', nav: 'me', back: true } },
  { path: '/life', component: () => import('./views/Life.vue'), meta: { title: '组织生活', nav: 'life' } },
  { path: '/lists/compliance', component: () => import('./views/ComplianceList.vue'), meta: { title: '组织生活落实情况', nav: 'home', back: true } },
  { path: '/lists/risks', component: () => import('./views/RiskList.vue'), meta: { title: '未参加组织生活或未交党费的党员', nav: 'home', back: true } },
  { path: '/lists/warnings', component: () => import('./views/WarningList.vue'), meta: { title: '预警', nav: 'home', back: true } },
  { path: '/meetings/new', component: () => import('./views/MeetingNew.vue'), meta: { title: '记录会议', nav: 'life', back: true } },
  { path: '/meetings/:id', component: () => import('./views/Meeting.vue'), meta: { title: '会议记录', nav: 'life', back: true } },
  { path: '/signin', component: () => import('./views/Signin.vue'), meta: { title: '会议签到', nav: 'me' } },
  { path: '/me', component: () => import('./views/Me.vue'), meta: { title: '我的', nav: 'me' } },
  { path: '/audit', component: () => import('./views/Audit.vue'), meta: { title: '审计日志', nav: 'audit' } },
  { path: '/screen/:id(\\d+)', component: () => import('./views/Screen.vue'), meta: { title: '大屏', bare: true } },
  { path: '/:rest(.*)*', component: () => import('./views/NotFound.vue'), meta: { title: '页面不存在' } },
];

export const router = createRouter({
  history: createWebHashHistory(),
  routes,
  scrollBehavior: (to, from, saved) => saved || (to.hash ? { el: to.hash, top: 60 } : { top: 0 }),
});

router.beforeEach(async (to) => {
  if (!session.checked) {
    // the login screen's chunk loads while the server says who is logged
    // in: one round trip less before the form on a slow line (0.6 KB if unused)
    import('./views/Login.vue').catch(() => {});
    await loadMe();
  }
  const mustChange = !!(session.user && session.user.must_change_password);
  if (to.path === '/password') {
    if (!session.user) return { path: '/login' };
    return mustChange ? true : '/';
  }
  if (mustChange && to.path !== '/password') return { path: '/password', query: to.path === '/login' ? {} : { redirect: to.fullPath } };
  if (to.meta.public) {
    if (session.user && to.path === '/login') return to.query.redirect || '/';
    return true;
  }
  if (!session.user) return { path: '/login', query: { redirect: to.fullPath } };
  return true;
});

router.afterEach((to) => {
  document.title = (to.meta.title ? to.meta.title + ' · ' : '') + '支部';
});
