import { isUtf8File, readCsvRecords } from '../../src/features/imports/csv.js';
import { deriveFromText } from '../../src/features/markings/service.js';
import { searchKeys, detectScript, normalizeMarking, deriveLegibility } from '../../src/features/markings/normalize.js';
let t = performance.now();
console.log(await isUtf8File('/tmp/proto-import.csv'), 'utf8 check', performance.now() - t);
t = performance.now();
let n = 0; const texts: string[] = [];
for await (const recs of readCsvRecords('/tmp/proto-import.csv', 'utf-8')) { n += recs.length; for (const r of recs) texts.push(r.fields[10]!); }
console.log(n, 'parse', performance.now() - t);
for (const [name, f] of [['derive', (x: string) => deriveFromText(x, undefined)], ['keys', searchKeys], ['script', detectScript], ['normalized', normalizeMarking], ['legibility', deriveLegibility]] as const) {
  t = performance.now(); for (const x of texts) (f as (x: string) => unknown)(x); console.log(name, performance.now() - t);
}
