// jscodeshift transform equivalent to rules.toml: the same module table, the same sites (import,
// export ... from, export * from, require(), import(), import x = require()), quote style kept, and
// import declarations that end up naming the same module merged (same kind, no namespace import,
// at most one default), as `depreport migrate` does.
'use strict';
const path = require('path');

const MODULES = {
  react: 'preact/compat',
  'react-dom': 'preact/compat',
  'react/jsx-runtime': 'preact/jsx-runtime',
  'react/jsx-dev-runtime': 'preact/jsx-dev-runtime',
  'react-dom/test-utils': 'preact/test-utils',
  'react-dom/client': 'preact/compat/client',
  'react-dom/server': 'preact/compat/server',
};
const PREFILTER = /['"`]react/;

function parserFor(file) {
  const ext = path.extname(file);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'ts';
  if (ext === '.tsx') return 'tsx';
  return 'babylon';
}

function retarget(literal, source, changed) {
  if (!literal || typeof literal.value !== 'string' || !(literal.value in MODULES)) return;
  const quote = source[literal.start] === '"' || source[literal.start] === "'" ? source[literal.start] : "'";
  const value = MODULES[literal.value];
  literal.value = value;
  literal.extra = { rawValue: value, raw: quote + value + quote };
  changed.add(value);
}

function mergeImports(j, root, changed) {
  const seen = new Map();
  root.find(j.ImportDeclaration).forEach((p) => {
    if (p.parent.node.type !== 'Program') return;
    const decl = p.node;
    const module = decl.source.value;
    if (!changed.has(module)) return;
    const specs = decl.specifiers || [];
    if (!specs.length || specs.some((s) => s.type === 'ImportNamespaceSpecifier')) return;
    const key = module + '\0' + (decl.importKind || 'value');
    const first = seen.get(key);
    if (!first) return void seen.set(key, decl);
    const theirDefault = specs.find((s) => s.type === 'ImportDefaultSpecifier');
    const myDefault = first.specifiers.find((s) => s.type === 'ImportDefaultSpecifier');
    if (theirDefault && myDefault && theirDefault.local.name !== myDefault.local.name) return;
    const names = new Set(first.specifiers.map(id));
    for (const s of specs) {
      if (names.has(id(s))) continue;
      if (s.type === 'ImportDefaultSpecifier') first.specifiers.unshift(s);
      else first.specifiers.push(s);
    }
    j(p).remove();
  });
}

function id(s) {
  const imported = s.type === 'ImportDefaultSpecifier' ? 'default' : s.imported.name || s.imported.value;
  return imported + ' as ' + s.local.name;
}

module.exports = function transform(file, api) {
  if (!PREFILTER.test(file.source)) return undefined;
  const j = api.jscodeshift.withParser(parserFor(file.path));
  const root = j(file.source);
  const changed = new Set();
  const source = file.source;
  root.find(j.ImportDeclaration).forEach((p) => retarget(p.node.source, source, changed));
  root.find(j.ExportNamedDeclaration).forEach((p) => retarget(p.node.source, source, changed));
  root.find(j.ExportAllDeclaration).forEach((p) => retarget(p.node.source, source, changed));
  root.find(j.CallExpression).forEach((p) => {
    const callee = p.node.callee;
    if ((callee.type === 'Identifier' && callee.name === 'require') || callee.type === 'Import') {
      retarget(p.node.arguments[0], source, changed);
    }
  });
  root.find(j.TSExternalModuleReference).forEach((p) => retarget(p.node.expression, source, changed));
  if (!changed.size) return undefined;
  mergeImports(j, root, changed);
  return root.toSource();
};
