// Names imported through one local barrel module that does `export * from "<package>"` (independent of
// depreport: @babel/parser only).
//
// usage: node barrel-names.mjs DIR BARREL [SRC_ROOT]
//   DIR       a checkout of one commit (git archive)
//   BARREL    the barrel's repo path, e.g. src/setupTest.js
//   SRC_ROOT  the tsconfig baseUrl folder (default src): `setupTest` and `@src/setupTest` name the barrel too
//
// Prints JSON: {local_exports, star_packages, through: {name: count}, local: {name: count}, whole: n}
// A named import of a name the barrel declares or exports itself (`export function f`, `export { f }`)
// is the barrel's own; any other named import is a name of the package(s) it `export *`s; a default or
// namespace import (or a side-effect import) of the barrel is counted in `whole`, for no package.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { parse } from "@babel/parser";

const [dir, barrel, srcRoot = "src"] = process.argv.slice(2);
const OPTIONS = {
  sourceType: "unambiguous",
  errorRecovery: true,
  plugins: ["typescript", "jsx", "decorators-legacy"],
};
const SOURCE = /\.(js|jsx|mjs|cjs|ts|mts|cts|tsx)$/i;
const SKIPPED = new Set(["node_modules", ".git", "dist", "build", "coverage"]);

function walk(prefix = "", out = []) {
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) walk(rel, out);
    } else if (SOURCE.test(rel) && !/\.d\.ts$/.test(rel)) out.push(rel);
  }
  return out;
}

const stem = barrel.replace(SOURCE, "");
const base = relative(srcRoot, stem);
const barrelAst = parse(readFileSync(join(dir, barrel), "utf8"), OPTIONS);
const localExports = new Set();
const starPackages = [];
for (const node of barrelAst.program.body) {
  if (node.type === "ExportAllDeclaration" && !node.exported) starPackages.push(node.source.value);
  if (node.type === "ExportNamedDeclaration") {
    if (node.declaration?.id) localExports.add(node.declaration.id.name);
    for (const d of node.declaration?.declarations ?? []) localExports.add(d.id.name);
    for (const s of node.specifiers ?? []) localExports.add(s.exported.name ?? s.exported.value);
  }
  if (node.type === "ExportDefaultDeclaration") localExports.add("default");
}

function namesBarrel(file, spec) {
  if (spec === base || spec === `@src/${base}`) return true;
  if (!spec.startsWith(".")) return false;
  const target = normalize(join(dirname(file), spec)).replace(SOURCE, "");
  return target === stem || target === `${stem}/index`;
}

const through = {};
const local = {};
let whole = 0;
for (const file of walk()) {
  if (file === barrel) continue;
  const code = readFileSync(join(dir, file), "utf8");
  if (!code.includes(base.split("/").pop())) continue;
  let ast;
  try {
    ast = parse(code, OPTIONS);
  } catch {
    continue;
  }
  for (const node of ast.program.body) {
    if (node.type !== "ImportDeclaration" || !namesBarrel(file, node.source.value)) continue;
    if (node.specifiers.length === 0) whole += 1;
    for (const s of node.specifiers) {
      if (s.type !== "ImportSpecifier") {
        whole += 1;
        continue;
      }
      const name = s.imported.name ?? s.imported.value;
      const into = localExports.has(name) ? local : through;
      into[name] = (into[name] ?? 0) + 1;
    }
  }
}
const out = { local_exports: [...localExports].sort(), star_packages: starPackages, through, local, whole };
process.stdout.write(JSON.stringify(out) + "\n");
