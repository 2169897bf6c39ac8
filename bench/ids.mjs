// bench/ids.mjs - find the objects the benchmark requests, through the API
// (so the bench measures what a client would see): the root, a county, a
// township, a branch with a full roster page, and one of its members.
// Prints shell assignments.  Usage: node bench/ids.mjs URL  (token in
// ZB_BENCH_TOKEN).
const [url] = process.argv.slice(2);
const h = { Authorization: `Bearer ${process.env.ZB_BENCH_TOKEN}` };
async function get(path) {
  const r = await fetch(url + path, { headers: h });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}
const roots = await get('/api/v1/orgs');
const root = roots.items[0].id;
// province -> city -> county, or a county at the root (demo --scale county)
let county = root;
const kids = (await get(`/api/v1/orgs/${root}/children`)).items;
const city = kids.find((o) => /市委员会$/.test(o.name));
if (city) county = (await get(`/api/v1/orgs/${city.id}/children`)).items.find((o) => /县委员会$/.test(o.name)).id;
const towns = (await get(`/api/v1/orgs/${county}/children`)).items.filter((o) => /(镇|乡)委员会$/.test(o.name));
const town = towns[0].id;
const branches = (await get(`/api/v1/orgs/${town}/children`)).items
  .filter((o) => o.type === 'branch' && o.member_count >= 30 && o.member_count <= 50);
const branch = branches[0].id;
const members = await get(`/api/v1/members?org=${branch}&limit=1`);
console.log(`ROOT=${root} COUNTY=${county} TOWN=${town} BRANCH=${branch} MEMBER=${members.items[0].id}`);
