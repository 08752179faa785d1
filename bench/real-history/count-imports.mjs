// Independent import count with @babel/parser (no tree-sitter, no depreport code).
//
// usage: node count-imports.mjs DIR [FILE_LIST] [--by-file]
//   DIR        a checkout of one commit (git archive / git worktree)
//   FILE_LIST  optional: a file naming the repo-relative paths to read, one per line (default: walk DIR)
//   --by-file  also print every specifier as written, relative ones included, per importing file
//              (`by_file: {"<path>": {"<specifier>": {value, type}}}`), for resolve_local.py to resolve
//
// Prints JSON: {files, missing, parse_errors, unresolvable, counts: {"<package>\t<subpath>": {value, type}}}
// One record per imported binding (one per statement when it binds nothing), as depreport's README
// defines an import record: ESM import / re-export, require(), import(), import x = require(),
// and import("x") in a type position. Only bare (npm) specifiers are kept: relative and absolute
// paths are not what a library group counts.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@babel/parser";

const SKIPPED_DIRS = new Set([
  "node_modules", ".git", ".hg", ".svn", ".depreport",
  "dist", "build", "out", "coverage", ".next", ".nuxt", ".svelte-kit", ".output", ".cache",
  ".turbo", ".parcel-cache", "storybook-static", "bower_components", "__pycache__", ".venv",
  "venv", ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages",
]);
const SOURCE = /\.(js|jsx|mjs|cjs|ts|mts|cts|tsx)$/i;
const DECLARATION = /\.d\.(ts|mts|cts)$/;
const MINIFIED = /\.min\.(js|mjs|cjs)$/;

function selected(path) {
  const parts = path.split("/");
  if (parts.slice(0, -1).some((p) => SKIPPED_DIRS.has(p))) return false;
  return SOURCE.test(path) && !DECLARATION.test(path) && !MINIFIED.test(path);
}

function walk(root, prefix = "", out = []) {
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(root, rel, out);
    } else if (entry.isFile() && selected(rel)) out.push(rel);
  }
  return out;
}

function plugins(path) {
  if (/\.(ts|mts|cts)$/i.test(path)) return ["typescript", "decorators-legacy"];
  return ["typescript", "jsx", "decorators-legacy"]; // .tsx, and .js files may hold JSX
}

function parseFile(path, code) {
  const options = {
    sourceType: "unambiguous",
    allowImportExportEverywhere: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    errorRecovery: true,
    plugins: plugins(path),
  };
  try {
    return parse(code, options);
  } catch (first) {
    if (!/\.(js|jsx|mjs|cjs)$/i.test(path)) throw first;
    return parse(code, { ...options, plugins: ["flow", "jsx"] });
  }
}

// "@scope/name/sub/path" -> ["@scope/name", "sub/path"]; null for relative/absolute/URL specifiers.
export function splitSpecifier(spec) {
  if (!spec || spec.startsWith(".") || spec.startsWith("/") || /^[a-z]+:\/\//i.test(spec)) return null;
  const clean = spec.split("?")[0];
  const parts = clean.split("/");
  const n = clean.startsWith("@") ? 2 : 1;
  return [parts.slice(0, n).join("/"), parts.slice(n).join("/")];
}

function stringValue(node) {
  if (!node) return null;
  if (node.type === "StringLiteral") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

const TYPE_NODE = /^TS.*(Type|TypeAnnotation|TypeReference|Interface.*|TypeAlias.*|Keyword)$/;

class Counter {
  constructor(byFile) {
    this.counts = new Map();
    this.unresolvable = 0;
    this.byFile = byFile ? {} : null;
    this.file = null;
  }
  add(spec, typeOnly, n = 1) {
    if (this.byFile !== null && spec) {
      const mine = (this.byFile[this.file] ??= {});
      const c = (mine[spec] ??= { value: 0, type: 0 });
      c[typeOnly ? "type" : "value"] += n;
    }
    const split = splitSpecifier(spec);
    if (split === null) return;
    const key = split.join("\t");
    const c = this.counts.get(key) ?? { value: 0, type: 0 };
    c[typeOnly ? "type" : "value"] += n;
    this.counts.set(key, c);
  }
}

function bindingCount(pattern, destructured) {
  if (destructured && pattern && pattern.type === "ObjectPattern") return Math.max(1, pattern.properties.length);
  return 1;
}

// How many bindings a require()/import() call makes, from the nodes above it.
function callBindings(ancestors, isDynamic) {
  let i = ancestors.length - 1;
  let awaited = !isDynamic;
  while (i >= 0 && ["AwaitExpression", "ParenthesizedExpression", "TSNonNullExpression"].includes(ancestors[i].type)) {
    if (ancestors[i].type === "AwaitExpression") awaited = true;
    i -= 1;
  }
  const parent = ancestors[i];
  if (parent && parent.type === "VariableDeclarator") return bindingCount(parent.id, awaited);
  return 1;
}

function visit(node, ancestors, counter, inType) {
  if (!node || typeof node.type !== "string") return;
  switch (node.type) {
    case "ImportDeclaration": {
      const typeOnly = node.importKind === "type" || node.importKind === "typeof";
      const spec = node.source.value;
      if (node.specifiers.length === 0) counter.add(spec, typeOnly);
      for (const s of node.specifiers) counter.add(spec, typeOnly || s.importKind === "type" || s.importKind === "typeof");
      return;
    }
    case "ExportNamedDeclaration":
      if (node.source) {
        const typeOnly = node.exportKind === "type";
        if (node.specifiers.length === 0) counter.add(node.source.value, typeOnly);
        for (const s of node.specifiers) counter.add(node.source.value, typeOnly || s.exportKind === "type");
        return;
      }
      break;
    case "ExportAllDeclaration":
      counter.add(node.source.value, node.exportKind === "type");
      return;
    case "TSImportEqualsDeclaration":
      if (node.moduleReference.type === "TSExternalModuleReference") {
        counter.add(node.moduleReference.expression.value, node.importKind === "type");
        return;
      }
      break;
    case "TSImportType": {
      const arg = node.argument;
      const spec = stringValue(arg && arg.type === "TSLiteralType" ? arg.literal : arg);
      if (spec !== null) counter.add(spec, true);
      break;
    }
    case "CallExpression": {
      const isRequire = node.callee.type === "Identifier" && node.callee.name === "require";
      const isDynamic = node.callee.type === "Import";
      if (isRequire || isDynamic) {
        const args = node.arguments;
        if (args.length > 0) {
          const spec = stringValue(args[0]);
          if (spec === null) counter.unresolvable += 1;
          else counter.add(spec, isDynamic && inType, callBindings(ancestors, isDynamic));
        }
      }
      break;
    }
    case "ImportExpression": {
      const spec = stringValue(node.source);
      if (spec === null) counter.unresolvable += 1;
      else counter.add(spec, inType, callBindings(ancestors, true));
      break;
    }
    default:
  }
  const nowInType = inType || TYPE_NODE.test(node.type);
  ancestors.push(node);
  for (const key of Object.keys(node)) {
    if (key === "loc" || key === "start" || key === "end" || key === "extra" || key.endsWith("Comments")) continue;
    const child = node[key];
    if (Array.isArray(child)) for (const c of child) visit(c, ancestors, counter, nowInType);
    else if (child && typeof child.type === "string") visit(child, ancestors, counter, nowInType);
  }
  ancestors.pop();
}

function main() {
  const args = process.argv.slice(2);
  const byFile = args.includes("--by-file");
  const [dir, list] = args.filter((a) => a !== "--by-file");
  const paths = list
    ? readFileSync(list, "utf8").split("\n").filter((p) => p && selected(p))
    : walk(dir);
  const counter = new Counter(byFile);
  let parseErrors = 0;
  const failed = [];
  const missing = [];
  for (const path of paths) {
    const full = join(dir, path);
    if (!statSync(full, { throwIfNoEntry: false })?.isFile()) {
      missing.push(path); // listed but not extracted: said in the output, never silently dropped
      continue;
    }
    const code = readFileSync(full, "utf8");
    if (!/\b(import|export|require)\b/.test(code)) continue;
    let ast;
    try {
      ast = parseFile(path, code);
    } catch (error) {
      parseErrors += 1;
      failed.push(`${path}: ${error.message}`);
      continue;
    }
    if (ast.errors && ast.errors.length) parseErrors += 1;
    counter.file = path;
    visit(ast.program, [], counter, false);
  }
  const counts = Object.fromEntries([...counter.counts.entries()].sort());
  const out = { files: paths.length, missing, parse_errors: parseErrors, failed, unresolvable: counter.unresolvable, counts };
  if (byFile) out.by_file = counter.byFile;
  process.stdout.write(JSON.stringify(out) + "\n");
}

main();
