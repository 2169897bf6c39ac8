// Roster import on SQLite: upload and commit N new members (default
// 100,000) into the demo county while another client changes an org every
// 50 ms, and print the commit time and the worst wait of those small
// writes (how long the import held the one SQLite writer lock at a time).
//
//   node bench/import.mjs [ROWS]
//
// The file is a CSV; the commit works on the saved batch, the same for a
// CSV or an xlsx upload (the format only changes the upload's reading).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { startServer, admin, cli } from '../tests/api/lib.mjs';

const ROWS = Number(process.argv[2] || 100000);
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const FAM = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIV = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂';

let seed = 7;
const rnd = (n) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };

function makeCsv(branches, n) {
  const seen = new Set();
  const lines = ['姓名,性别,出生日期,身份证号,人员类别,入党日期,转正日期,所在党支部'];
  while (lines.length <= n) {
    const y = 1950 + rnd(50), m = 1 + rnd(12), d = 1 + rnd(28);
    const body = `439901${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(rnd(1000)).padStart(3, '0')}`;
    if (seen.has(body)) continue;
    seen.add(body);
    let s = 0;
    for (let i = 0; i < 17; i++) s += Number(body[i]) * W[i];
    const id = body + '10X98765432'[s % 11];
    const g = Number(body[16]) % 2 ? '男' : '女';
    const name = FAM[rnd(FAM.length)] + GIV[rnd(GIV.length)] + GIV[rnd(GIV.length)];
    lines.push(`${name},${g},${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')},${id},正式党员,` +
      `${y + 25}-07-01,${y + 26}-07-01,${branches[rnd(branches.length)]}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

const srv = await startServer({ demo: "county" });
const say = (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);
say("server up");
try {
  const adm = await admin(srv);
  const rootId = Number(execFileSync('sqlite3', [srv.db, 'SELECT id FROM orgs WHERE parent_id IS NULL']).toString());
  // branch names that name one org only (the importer refuses ambiguous ones)
  const branches = execFileSync('sqlite3', [srv.db,
    "SELECT name FROM orgs WHERE type IN ('branch','joint_branch') AND dissolved_on IS NULL GROUP BY name HAVING COUNT(*) = 1"])
    .toString().trim().split('\n');
  const target = Number(execFileSync('sqlite3', [srv.db, "SELECT id FROM orgs WHERE type = 'branch' LIMIT 1"]).toString());
  const csv = makeCsv(branches, ROWS);

  say("csv made");
  let t0 = performance.now();
  const up = await adm.req('POST', `/api/v1/imports?org=${rootId}&filename=bench.csv`, csv,
    { raw: true, headers: { 'Content-Type': 'text/csv' } });
  const uploadMs = performance.now() - t0;
  if (up.status !== 201 && up.status !== 200) throw new Error(`upload: ${up.status} ${JSON.stringify(up.body).slice(0, 300)}`);

  say("uploaded");
  // the other writer: a small change every 50 ms, its latency recorded
  const other = await admin(srv);
  let stop = false, worst = 0, writes = 0, failed = 0;
  const writer = (async () => {
    for (let i = 0; !stop; i++) {
      const s = performance.now();
      const r = await other.patch(`/api/v1/orgs/${target}`, { contact: `0731-${String(i % 10000).padStart(4, '0')}` });
      const ms = performance.now() - s;
      if (r.status === 200) { writes++; worst = Math.max(worst, ms); } else failed++;
      await new Promise((res) => setTimeout(res, 50));
    }
  })();
  await new Promise((res) => setTimeout(res, 300));
  // CPU time of the server during the commit: on a loaded machine the
  // wall time mostly measures the other processes
  const cpu = () => {
    const f = readFileSync(`/proc/${srv.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  const cpu0 = cpu();
  t0 = performance.now();
  const c = await adm.post(`/api/v1/imports/${up.body.id}/commit`, {});
  const commitMs = performance.now() - t0;
  const commitCpu = cpu() - cpu0;
  await new Promise((res) => setTimeout(res, 300));
  stop = true;
  await writer;
  if (c.status !== 200) throw new Error(`commit: ${c.status} ${JSON.stringify(c.body)}`);

  // the health check of the same moment, as the scale of the machine's load
  t0 = performance.now();
  for (let i = 0; i < 20; i++) await fetch(`${srv.url}/api/v1/health`);
  const healthMs = (performance.now() - t0) / 20;
  const chk = cli(['check', '--db', srv.db], srv.env);

  console.log(`rows ${ROWS} (new ${c.body.counts.new}), load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`upload (read, check, derive, save): ${(uploadMs / 1000).toFixed(2)} s`);
  console.log(`commit: ${(commitMs / 1000).toFixed(2)} s wall, ${commitCpu.toFixed(2)} s CPU of the server (with the other writer)`);
  console.log(`other writer: ${writes} writes ok, ${failed} failed, worst wait ${worst.toFixed(0)} ms` +
    ` (GET /health ${healthMs.toFixed(1)} ms)`);
  console.log(`zhibu check: ${chk.code === 0 ? 'ok' : 'FAILED'} ${chk.stdout.trim()} ${chk.stderr.trim()}`);
} finally {
  await srv.stop();
}
