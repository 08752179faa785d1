#!/usr/bin/env node
// Reference import extractor for the correctness check: parses each file with @babel/parser
// (typescript/jsx plugins) and writes one JSON import record per line, in depreport's record
// vocabulary, so that bench/compare.py can compare the two record sets.
//
//   node reference.js ROOT FILE_LIST OUT.jsonl
//
// ROOT is the corpus folder, FILE_LIST a text file of paths relative to ROOT, one a line.
// Files babel cannot parse get a line {"file", "parse_error"} instead of records; files it parsed
// with recovered errors get {"file", "recovered_errors": n} besides their records.
'use strict'
const fs = require('fs')
const path = require('path')
const { parse } = require('@babel/parser')

const SKIP_KEYS = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'range'])
const TRANSPARENT = new Set(['AwaitExpression', 'TSNonNullExpression', 'ParenthesizedExpression', 'TypeCastExpression'])
const MEMBER = new Set(['MemberExpression', 'OptionalMemberExpression'])

// Decorator plugins tried in turn: TypeScript's legacy decorators, then with `accessor` fields, then
// standard decorators (lit's decorators-modern tests need the last two; babel takes one kind at a time).
const DECORATORS = [
  ['decorators-legacy'],
  ['decorators-legacy', 'decoratorAutoAccessors'],
  [['decorators', { version: '2023-11' }], 'decoratorAutoAccessors'],
]

// A JavaScript file none of these parses is tried once more as Flow (React Native's `// @flow` files).
const FLOW = [['flow', { all: true, enums: true }], 'decorators-legacy']

function parserOptions(file, decorators) {
  const ext = path.extname(file).toLowerCase()
  const typescript = ['.ts', '.mts', '.cts', '.tsx'].includes(ext)
  const plugins = [...decorators, 'explicitResourceManagement', 'deferredImportEvaluation']
  if (typescript) plugins.push('typescript')
  if (ext === '.tsx' || !typescript) plugins.push('jsx')
  return {
    sourceType: ext === '.mjs' || ext === '.mts' ? 'module' : 'unambiguous',
    plugins,
    errorRecovery: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowSuperOutsideMethod: true,
    allowUndeclaredExports: true,
    allowNewTargetOutsideFunction: true,
  }
}

function literal(node) {
  // The value of a string literal or a template literal without substitutions, else null.
  if (!node) return null
  if (node.type === 'StringLiteral') return node.value
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked
  return null
}

function name(node) {
  return node.type === 'StringLiteral' ? node.value : node.name
}

function patternBindings(pattern) {
  // `const {a, b: c, ...rest} = require('x')` -> [[a, a], [b, c], ['*', rest]]
  const found = []
  for (const prop of pattern.properties) {
    if (prop.type === 'RestElement') {
      found.push(['*', prop.argument.type === 'Identifier' ? prop.argument.name : null])
    } else if (prop.computed) {
      found.push(['*', null])
    } else {
      const value = prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value
      found.push([name(prop.key), value.type === 'Identifier' ? value.name : null])
    }
  }
  return found.length ? found : [['*', null]]
}

function callBindings(ancestors, mustAwait) {
  // What a require()/import() result is bound to; ancestors[0] is the call's parent. The value of
  // import() is a promise, so its exports are reached only through `await` (`import(x).then` is `*`).
  let i = 0
  let awaited = false
  while (i < ancestors.length && TRANSPARENT.has(ancestors[i].node.type)) {
    awaited = awaited || ancestors[i].node.type === 'AwaitExpression'
    i++
  }
  const parent = ancestors[i]
  if (!parent || (mustAwait && !awaited)) return [['*', null]]
  if (MEMBER.has(parent.node.type) && parent.key === 'object') {
    const { property, computed } = parent.node
    const exported = computed ? literal(property) || '*' : property.name
    const holder = ancestors[i + 1]
    const local = holder && holder.node.type === 'VariableDeclarator' && holder.node.id.type === 'Identifier'
      ? holder.node.id.name : null
    return [[exported, local]]
  }
  if (parent.node.type === 'VariableDeclarator' && parent.key === 'init') {
    const id = parent.node.id
    if (id.type === 'ObjectPattern') return patternBindings(id)
    if (id.type === 'Identifier') return [['*', id.name]]
  }
  return [['*', null]]
}

function fromImport(node, add) {
  const spec = node.source.value
  const typeOnly = node.importKind === 'type' || node.importKind === 'typeof'
  if (node.specifiers.length === 0) return add(node, 'side-effect', spec, '*', null, typeOnly)
  for (const s of node.specifiers) {
    const local = s.local.name
    const specType = typeOnly || s.importKind === 'type' || s.importKind === 'typeof'
    if (s.type === 'ImportDefaultSpecifier') add(node, 'import', spec, 'default', local, specType)
    else if (s.type === 'ImportNamespaceSpecifier') add(node, 'import', spec, '*', local, specType)
    else add(node, 'import', spec, name(s.imported), local, specType)
  }
}

function fromExport(node, add) {
  const spec = node.source.value
  // Flow's `declare export * from 'x'` / `declare export {a} from 'x'` (library definitions) declare types.
  const declared = node.type === 'DeclareExportAllDeclaration' || node.type === 'DeclareExportDeclaration'
  const typeOnly = node.exportKind === 'type' || declared
  if (node.type === 'ExportAllDeclaration' || node.type === 'DeclareExportAllDeclaration') {
    return add(node, 'reexport', spec, '*', node.exported ? name(node.exported) : null, typeOnly)
  }
  if (node.specifiers.length === 0) return add(node, 'reexport', spec, '*', null, typeOnly)
  for (const s of node.specifiers) {
    const specType = typeOnly || s.exportKind === 'type'
    if (s.type === 'ExportNamespaceSpecifier') add(node, 'reexport', spec, '*', name(s.exported), specType)
    else if (s.type === 'ExportDefaultSpecifier') add(node, 'reexport', spec, 'default', name(s.exported), specType)
    else add(node, 'reexport', spec, name(s.local), name(s.exported), specType)
  }
}

function fromCall(node, kind, ancestors, add) {
  const spec = literal(node.arguments[0])
  if (spec === null) return
  for (const [exported, local] of callBindings(ancestors, kind === 'dynamic')) {
    add(node, kind, spec, exported, local, false)
  }
}

function visit(node, ancestors, add) {
  switch (node.type) {
    case 'ImportDeclaration': fromImport(node, add); break
    case 'ExportAllDeclaration': fromExport(node, add); break
    case 'DeclareExportAllDeclaration': fromExport(node, add); break
    case 'ExportNamedDeclaration': if (node.source) fromExport(node, add); break
    case 'DeclareExportDeclaration': if (node.source) fromExport(node, add); break
    case 'TSImportEqualsDeclaration':
      if (node.moduleReference.type === 'TSExternalModuleReference') {
        const typeOnly = node.importKind === 'type'
        add(node, 'import-equals', node.moduleReference.expression.value, '*', node.id.name, typeOnly)
      }
      break
    case 'TSImportType': {
      const spec = literal(node.argument.type === 'TSLiteralType' ? node.argument.literal : node.argument)
      // `import('x').A.B` in a type names the export A, as `require('x').A` does.
      let first = node.qualifier
      while (first && first.type === 'TSQualifiedName') first = first.left
      if (spec !== null) add(node, 'dynamic', spec, first ? first.name : '*', null, true)
      break
    }
    case 'ImportExpression': fromCall({ arguments: [node.source], loc: node.loc }, 'dynamic', ancestors, add); break
    case 'CallExpression':
    case 'OptionalCallExpression':
      if (node.callee.type === 'Import') fromCall(node, 'dynamic', ancestors, add)
      else if (node.callee.type === 'Identifier' && node.callee.name === 'require') fromCall(node, 'require', ancestors, add)
      break
  }
}

function walk(node, ancestors, add) {
  visit(node, ancestors, add)
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue
    const value = node[key]
    if (Array.isArray(value)) {
      for (const child of value) {
        if (child && typeof child.type === 'string') walk(child, [{ node, key }, ...ancestors.slice(0, 5)], add)
      }
    } else if (value && typeof value.type === 'string') {
      walk(value, [{ node, key }, ...ancestors.slice(0, 5)], add)
    }
  }
}

function extract(root, file, out) {
  const source = fs.readFileSync(path.join(root, file), 'utf8')
  let ast = null
  let firstError = null
  const typescript = ['.ts', '.mts', '.cts', '.tsx'].includes(path.extname(file).toLowerCase())
  for (const decorators of typescript ? DECORATORS : [...DECORATORS, FLOW]) {
    try {
      ast = parse(source, parserOptions(file, decorators))
      break
    } catch (err) {
      firstError = firstError || err
    }
  }
  if (ast === null) {
    out.push(JSON.stringify({ file, parse_error: String(firstError.message).split('\n')[0] }))
    return
  }
  const add = (node, kind, specifier, exported, local, typeOnly) => {
    const { line, column } = node.loc.start
    out.push(JSON.stringify({ file, line, column, kind, specifier, export: exported, local, type_only: typeOnly }))
  }
  walk(ast.program, [], add)
  if (ast.errors && ast.errors.length) out.push(JSON.stringify({ file, recovered_errors: ast.errors.length }))
}

function main() {
  const [root, list, outPath] = process.argv.slice(2)
  const files = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean)
  const fd = fs.openSync(outPath, 'w')
  let out = []
  for (const file of files) {
    extract(root, file, out)
    if (out.length > 5000) {
      fs.writeSync(fd, out.join('\n') + '\n')
      out = []
    }
  }
  if (out.length) fs.writeSync(fd, out.join('\n') + '\n')
  fs.closeSync(fd)
}

main()
