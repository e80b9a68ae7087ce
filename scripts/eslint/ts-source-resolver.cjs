// An import resolver for eslint-plugin-boundaries (eslint-module-utils interface version 2): the sources import
// `./x.js` as Node sees the built output, while the file beside them is `x.ts` or `x.tsx`. Packages resolve as
// external; only relative specifiers are resolved here.
const fs = require('node:fs');
const path = require('node:path');

exports.interfaceVersion = 2;

exports.resolve = function resolve(source, file) {
  if (!source.startsWith('.')) return { found: false };
  const base = path.resolve(path.dirname(file), source);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return { found: true, path: candidate };
  }
  return { found: false };
};
