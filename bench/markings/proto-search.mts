import fs from 'node:fs';
import pg from 'pg';
import { parseMarkingQuery } from '../../src/features/markings/query.js';
import { planCandidates } from '../../src/features/markings/candidates.js';
import { matchMarking } from '../../src/features/markings/distance.js';
import { foldMarking, markingSkeleton } from '../../src/features/markings/normalize.js';
const port = fs.readFileSync('/tmp/mk-pg-port', 'utf8').trim();
const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
await client.connect();
const queries = JSON.parse(fs.readFileSync('/tmp/proto-queries.json', 'utf8')) as { query: string; target: string; noise: string[] }[];
const mode = process.argv[2] ?? 'B';
const fuzzyLimit = Number(process.argv[3] ?? 500);
let r1 = 0, r10 = 0, mrr = 0; const times: number[] = []; let fallbacks = 0; const misses: string[] = [];
await client.query(`set pg_trgm.similarity_threshold = 0.3`);
for (const q of queries) {
  const t0 = performance.now();
  const parsed = parseMarkingQuery(q.query);
  const plan = planCandidates(parsed);
  const rows = new Map<number, string>();
  const add = (rs: { id: number; text: string }[]) => { for (const r of rs) rows.set(r.id, r.text); };
  if (mode === 'R') {
    const rs = (await client.query(`select id, text from proto where text % $1 order by similarity(text, $1) desc, id limit 10`, [q.query])).rows;
    times.push(performance.now() - t0);
    const target = markingSkeleton(q.target);
    const rank = rs.findIndex((r: {text: string}) => markingSkeleton(r.text) === target);
    if (rank === 0) r1++;
    if (rank >= 0) { r10++; mrr += 1 / (rank + 1); }
    continue;
  }
  if (mode === 'A') {
    add((await client.query(`select id, text from proto where ck % $1 order by similarity(ck, $1) desc limit 100`, [plan.similarityText])).rows);
  } else {
    const parts: string[] = []; const params: unknown[] = [];
    params.push(plan.exactPattern);
    parts.push(`(select id, text from proto where ck ${plan.exactIsLiteral ? '=' : 'like'} $1 limit 200)`);
    if (mode === 'C' && !plan.exactPattern.endsWith('%')) {
      params.push(plan.exactPattern + '%');
      parts.push(`(select id, text from proto where ck like $${params.length} limit 100)`);
    }
    if (plan.fuzzyPatterns.length > 0) {
      const conds = plan.fuzzyPatterns.map((p) => { params.push(p); return `ck like $${params.length}`; });
      params.push(plan.similarityText);
      parts.push(`(select id, text from proto where ${conds.join(' or ')} ${mode === 'C' ? `order by similarity(ck, $${params.length}) desc` : ''} limit ${fuzzyLimit})`);
      if (mode !== 'C') params.pop();
    }
    add((await client.query(parts.join(' union all '), params)).rows);
  }
  let ranked = [...rows.entries()].map(([id, text]) => ({ id, text, ...matchMarking(parsed, foldMarking(text)) }));
  ranked.sort((a, b) => a.cost - b.cost);
  if ((mode === 'B' || mode === 'C') && (ranked.length === 0 || ranked[0]!.cost > 1)) {
    fallbacks++;
    add((await client.query(`select id, text from proto where ck % $1 order by similarity(ck, $1) desc limit 100`, [plan.similarityText])).rows);
    ranked = [...rows.entries()].map(([id, text]) => ({ id, text, ...matchMarking(parsed, foldMarking(text)) }));
    ranked.sort((a, b) => a.cost - b.cost);
  }
  { const seen = new Map<string, number>(); const dup = new Map<number, number>();
    for (const r of ranked) { const k = markingSkeleton(r.text) + '@' + r.cost; const c = seen.get(k) ?? 0; seen.set(k, c + 1); dup.set(r.id, c); }
    ranked.sort((a, b) => a.cost - b.cost || dup.get(a.id)! - dup.get(b.id)!); }
  times.push(performance.now() - t0);
  const target = markingSkeleton(q.target);
  const rank = ranked.slice(0, 10).findIndex((r) => markingSkeleton(r.text) === target);
  if (rank === 0) r1++;
  if (rank >= 0) { r10++; mrr += 1 / (rank + 1); } else misses.push(`${q.query} -> ${q.target} [${q.noise}] top: ${ranked.slice(0,3).map(r=>r.text+':'+r.cost).join(' | ')} n=${rows.size}`);
  if (rank > 0) misses.push(`  (rank ${rank}) ${q.query} -> ${q.target} [${q.noise}] top: ${ranked.slice(0,3).map(r=>r.text+':'+r.cost).join(' | ')}`);
}
times.sort((a, b) => a - b);
const n = queries.length;
console.log({ mode, r1: r1 / n, r10: r10 / n, mrr: mrr / n, p50: times[Math.floor(n * 0.5)], p95: times[Math.floor(n * 0.95)], fallbacks });
console.log(misses.slice(0, 40).join('\n'));
await client.end();
