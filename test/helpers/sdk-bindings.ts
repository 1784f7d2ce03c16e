import { dirname, resolve } from 'node:path';
import ts from 'typescript';

// Which local names of a bundled file stand for SDK exports (a command class, a client class): named
// imports, namespaces, require(), import() and re-exports through the project's lazy modules. The
// operations scan (sdk-operations.ts) uses these to tell `new XxxCommand(` of the SDK from any other.

/** An export of an SDK package. */
export interface SdkExport {
  readonly pkg: string;
  readonly name: string;
}

/** Local names bound to SDK exports in one file: named imports, namespaces, require() and import(). */
export interface Bindings {
  readonly named: Map<string, SdkExport>;
  /** Local name → module id (an SDK package, or a project module that re-exports SDK names). */
  readonly namespaces: Map<string, string>;
}

function sdkPackage(specifier: string): boolean {
  return specifier.startsWith('@aws-sdk/client-') || specifier === '@aws-sdk/lib-dynamodb';
}

/**
 * SDK names a module of the bundle re-exports (`export { X } from '@aws-sdk/client-sqs'`, `export *`,
 * possibly through another such module), by absolute path: the lazy modules of functions/core/sdk/ are
 * `await import()`ed for their commands and clients, which count where they are constructed.
 */
export type ReExports = Map<string, { named: Map<string, { from: string; name: string }>; stars: string[] }>;

/** The module id of `specifier` imported by `file`: the SDK package itself, or a bundled file's path. */
function moduleId(file: string, specifier: string, reExports: ReExports): string | undefined {
  if (sdkPackage(specifier)) return specifier;
  return specifier.startsWith('.') ? bundledPath(resolve(dirname(file), specifier), reExports) : undefined;
}

/** The re-exporting bundled file a path without extension names. */
function bundledPath(path: string, reExports: ReExports): string | undefined {
  const stem = path.replace(/\.js$/, '');
  return ['', '.ts', '.js', '/index.ts', '/index.js'].map((e) => stem + e).find((p) => reExports.has(p));
}

/** The SDK export that `name` of module `id` is, following re-exports. */
function sdkExport(
  id: string,
  name: string,
  reExports: ReExports,
  seen = new Set<string>(),
): SdkExport | undefined {
  if (sdkPackage(id)) return { pkg: id, name };
  const module = reExports.get(id);
  if (module === undefined || seen.has(id)) return undefined;
  seen.add(id);
  const direct = module.named.get(name);
  if (direct) return sdkExport(direct.from, direct.name, reExports, seen);
  for (const star of module.stars) {
    const found = sdkExport(star, name, reExports, seen);
    if (found) return found;
  }
  return undefined;
}

/** Record the SDK re-exports of one bundled file in `reExports` (before any file is scanned). */
export function collectReExports(file: string, source: ts.SourceFile, reExports: ReExports): void {
  const named = new Map<string, { from: string; name: string }>();
  const stars: string[] = [];
  for (const st of source.statements) {
    if (!ts.isExportDeclaration(st) || st.isTypeOnly || !st.moduleSpecifier) continue;
    if (!ts.isStringLiteral(st.moduleSpecifier)) continue;
    const spec = st.moduleSpecifier.text;
    const from = sdkPackage(spec) ? spec : spec.startsWith('.') ? resolve(dirname(file), spec) : undefined;
    if (from === undefined) continue;
    if (st.exportClause === undefined) stars.push(from);
    else if (ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        if (!el.isTypeOnly) named.set(el.name.text, { from, name: (el.propertyName ?? el.name).text });
      }
    }
  }
  if (named.size > 0 || stars.length > 0) reExports.set(file, { named, stars });
}

/** Relative targets of re-exports are written without extension: point them at the bundled files. */
export function settleReExports(reExports: ReExports): void {
  const settle = (from: string) => (sdkPackage(from) ? from : (bundledPath(from, reExports) ?? from));
  for (const module of reExports.values()) {
    for (const [k, v] of module.named) module.named.set(k, { ...v, from: settle(v.from) });
    module.stars.splice(0, module.stars.length, ...module.stars.map(settle));
  }
}

/** The module a `require('m')` or `import('m')` expression loads, if it is one. */
function moduleOf(node: ts.Node): string | undefined {
  // require('pkg') or import('pkg'), possibly awaited or parenthesized
  let inner = node;
  while (ts.isParenthesizedExpression(inner) || ts.isAwaitExpression(inner)) inner = inner.expression;
  if (!ts.isCallExpression(inner)) return undefined;
  const [arg] = inner.arguments;
  const isRequire = ts.isIdentifier(inner.expression) && inner.expression.text === 'require';
  const isImport = inner.expression.kind === ts.SyntaxKind.ImportKeyword;
  if ((isRequire || isImport) && arg !== undefined && ts.isStringLiteral(arg)) return arg.text;
  return undefined;
}

function bindPattern(pattern: ts.BindingName, id: string, bindings: Bindings, reExports: ReExports): void {
  if (ts.isIdentifier(pattern)) {
    bindings.namespaces.set(pattern.text, id);
    return;
  }
  if (!ts.isObjectBindingPattern(pattern)) return;
  for (const element of pattern.elements) {
    const exported = element.propertyName ?? element.name;
    const target = ts.isIdentifier(exported) ? sdkExport(id, exported.text, reExports) : undefined;
    if (target && ts.isIdentifier(element.name)) bindings.named.set(element.name.text, target);
  }
}

export function collectBindings(file: string, source: ts.SourceFile, reExports: ReExports): Bindings {
  const bindings: Bindings = { named: new Map(), namespaces: new Map() };
  const idOf = (specifier: string | undefined) =>
    specifier === undefined ? undefined : moduleId(file, specifier, reExports);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const id = idOf(node.moduleSpecifier.text);
      const clause = node.importClause;
      if (id !== undefined && clause && clause.phaseModifier !== ts.SyntaxKind.TypeKeyword) {
        const named = clause.namedBindings;
        if (named && ts.isNamespaceImport(named)) bindings.namespaces.set(named.name.text, id);
        if (named && ts.isNamedImports(named)) {
          for (const el of named.elements) {
            const target = el.isTypeOnly
              ? undefined
              : sdkExport(id, (el.propertyName ?? el.name).text, reExports);
            if (target) bindings.named.set(el.name.text, target);
          }
        }
      }
    }
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const id = idOf(moduleOf(node.initializer));
      if (id !== undefined) bindPattern(node.name, id, bindings, reExports);
    }
    // import('pkg').then(({ X }) => ...)
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'then'
    ) {
      const id = idOf(moduleOf(node.expression.expression));
      const [callback] = node.arguments;
      if (id !== undefined && callback && ts.isArrowFunction(callback)) {
        const [param] = callback.parameters;
        if (param) bindPattern(param.name, id, bindings, reExports);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return bindings;
}

/** The SDK export an expression names (`X`, `ns.X` or `(await import('m')).X`), if any. */
export function resolveExport(
  file: string,
  expression: ts.Expression,
  bindings: Bindings,
  reExports: ReExports,
): { pkg: string; name: string } | undefined {
  if (ts.isIdentifier(expression)) return bindings.named.get(expression.text);
  if (!ts.isPropertyAccessExpression(expression)) return undefined;
  const object = expression.expression;
  const specifier = moduleOf(object);
  const id = ts.isIdentifier(object)
    ? bindings.namespaces.get(object.text)
    : specifier === undefined
      ? undefined
      : moduleId(file, specifier, reExports);
  return id === undefined ? undefined : sdkExport(id, expression.name.text, reExports);
}
