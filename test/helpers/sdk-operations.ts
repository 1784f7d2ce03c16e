import { build, type BuildOptions } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { esbuildOptionsOf as stackEsbuildOptions } from '../../stacks/constructs/bundling';
import { ACTION_EXCEPTIONS, DOCUMENT_CLIENT_ACTIONS, SERVICE_PREFIX } from './iam-actions';
import {
  collectBindings,
  collectReExports,
  resolveExport,
  settleReExports,
  type ReExports,
} from './sdk-bindings';

// Finds every AWS operation a function's bundled code can send, from the code itself: esbuild bundles
// the handler like the stack does (its metafile lists every file that went in), and each of those files
// is parsed for `new XxxCommand(`, `paginateXxx(` and client constructions. Nothing is typed by hand:
// a call added anywhere in a function's import graph shows up here.

const PROJECT_ROOT = resolve(__dirname, '..', '..');

/**
 * Packages of the bundle not scanned, with why: the SDK itself (its commands are the ones counted where
 * the code constructs them; its credential providers and endpoint discovery do not run on Lambda, whose
 * credentials come from environment variables and whose clients leave endpoint discovery off).
 */
export const UNSCANNED_PACKAGE_PREFIXES = ['@aws-sdk/', '@smithy/', '@aws/lambda-invoke-store'] as const;

/**
 * Where a request is signed: with the function's own role, with a member account's check role, or with
 * the rollout reader role (the sweep planner's StackSet reads).
 */
export type Placement = 'own-role' | 'check-role' | 'rollout-reader' | 'enforce-role';

/** One operation the bundled code can send. */
export interface SdkOperation {
  /** IAM action (`iam:ListMFADevices`). */
  readonly action: string;
  /** The API operation the code names (`ListMFADevices`), before {@link ACTION_EXCEPTIONS}. */
  readonly operation: string;
  readonly clientPackage: string;
  /** Files (relative to the project) that construct or paginate it. */
  readonly files: readonly string[];
}

/** A client construction: which package, and whose credentials it is given. */
export interface ClientConstruction {
  readonly clientPackage: string;
  readonly file: string;
  /** `unknown`: explicit credentials that are not the check role's {@link RoleCredentials}. */
  readonly placement: Placement | 'unknown';
}

/** What one function's bundle can send. */
export interface FunctionOperations {
  readonly operations: readonly SdkOperation[];
  readonly clients: readonly ClientConstruction[];
  /** Problems the scan cannot classify (an unknown package, a waiter, an aggregated client). */
  readonly problems: readonly string[];
  /** The project's own files in the bundle. */
  readonly ownFiles: readonly string[];
}

/** esbuild options equal to what NodejsFunction runs for `bundling` (the options the app sets). */
export function esbuildOptionsOf(entry: string, bundling: BundlingOptions): BuildOptions {
  return {
    ...stackEsbuildOptions(bundling),
    entryPoints: [entry],
    outfile: join(PROJECT_ROOT, 'cdk.out', 'permissions-scan', 'index.js'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  };
}

/** The files esbuild puts into the bundle of `entry` (absolute paths). */
export async function bundledFiles(entry: string, bundling: BundlingOptions): Promise<string[]> {
  const result = await build(esbuildOptionsOf(entry, bundling));
  return Object.keys(result.metafile?.inputs ?? {}).map((input) => resolve(PROJECT_ROOT, input));
}

function packageOf(file: string): string | undefined {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.replace(/\\/g, '/'));
  return match?.[1];
}

/** Is `file` one to scan: the project's own, or a package outside the SDK (e.g. Powertools idempotency). */
function scanned(file: string): boolean {
  const pkg = packageOf(file);
  if (pkg === undefined) return true;
  return !UNSCANNED_PACKAGE_PREFIXES.some((prefix) => pkg.startsWith(prefix));
}

/** Whose credentials a client built with `config` signs with (`unknown`: explicit, but not the check role's). */
export type CredentialsClassifier = (
  file: string,
  config: ts.Expression | undefined,
) => Placement | 'unknown';

function actionsOf(pkg: string, operation: string): string[] {
  if (pkg === '@aws-sdk/lib-dynamodb') return [...(DOCUMENT_CLIENT_ACTIONS[`${operation}Command`] ?? [])];
  const prefix = SERVICE_PREFIX[pkg];
  if (prefix === undefined) return [];
  const action = `${prefix}:${operation}`;
  return [...(ACTION_EXCEPTIONS[action] ?? [action])];
}

/** Scan one parsed file for operations and client constructions. */
function scanFile(
  file: string,
  source: ts.SourceFile,
  classify: CredentialsClassifier,
  found: { ops: Map<string, SdkOperation>; clients: ClientConstruction[]; problems: string[] },
  reExports: ReExports,
): void {
  const bindings = collectBindings(file, source, reExports);
  const where = relative(PROJECT_ROOT, file);
  const own = packageOf(file) === undefined;
  const addOperation = (pkg: string, operation: string): void => {
    const actions = actionsOf(pkg, operation);
    if (actions.length === 0) found.problems.push(`${where}: ${pkg} ${operation} maps to no IAM action`);
    for (const action of actions) {
      const existing = found.ops.get(action);
      found.ops.set(action, {
        action,
        operation,
        clientPackage: pkg,
        files: [...new Set([...(existing?.files ?? []), where])],
      });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const target = resolveExport(file, node.expression, bindings, reExports);
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
      if (!target && own && /(Command|Client)$/.test(callee.getText(source))) {
        // A command or client the scan cannot trace to its SDK package would go unchecked: say so.
        found.problems.push(`${where}: new ${node.expression.getText(source)}: not traced to an SDK export`);
      }
      if (target) {
        const { pkg, name } = target;
        if (name.endsWith('Command')) addOperation(pkg, name.slice(0, -'Command'.length));
        else if (name.endsWith('Client')) {
          const [config] = node.arguments ?? [];
          if (SERVICE_PREFIX[pkg] === undefined)
            found.problems.push(`${where}: unknown client package ${pkg}`);
          found.clients.push({ clientPackage: pkg, file: where, placement: classify(file, config) });
        } else if (!/(Exception|Error)$/.test(name)) {
          found.problems.push(`${where}: new ${name} from ${pkg} is neither a command nor a client`);
        }
      }
    }
    if (ts.isCallExpression(node)) {
      const target = resolveExport(file, node.expression, bindings, reExports);
      if (target?.name.startsWith('paginate')) addOperation(target.pkg, target.name.slice('paginate'.length));
      if (target && /^wait(For|Until)/.test(target.name)) {
        found.problems.push(`${where}: waiter ${target.name} (its polling operation is not mapped)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const [local, { pkg }] of bindings.named) {
    if (SERVICE_PREFIX[pkg] === undefined && pkg !== '@aws-sdk/lib-dynamodb') {
      found.problems.push(`${where}: ${local} from unknown SDK package ${pkg}`);
    }
  }
}

/**
 * A classifier that asks the TypeScript checker for the type of the `credentials` expression: the check
 * role's credentials are {@link RoleCredentials} of functions/core/credentials.ts (from sts:AssumeRole of
 * the check role, nothing else makes them). Third-party files (plain JavaScript) never get `check-role`.
 */
export function roleCredentialsClassifier(projectFiles: readonly string[]): CredentialsClassifier {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  // Only the project's files: the SDK's declarations are not needed to name the project's own types,
  // and skipping them keeps this to a fraction of a second.
  host.getSourceFile = (fileName, ...rest) =>
    fileName.includes('node_modules') && !fileName.includes('typescript/lib')
      ? undefined
      : original(fileName, ...rest);
  const program = ts.createProgram([...projectFiles], options, host);
  const checker = program.getTypeChecker();
  const credentialsModule = resolve(PROJECT_ROOT, 'functions', 'core', 'credentials.ts');
  const isRoleCredentials = (type: ts.Type): boolean => {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const declared = symbol?.declarations?.[0]?.getSourceFile().fileName;
    return (
      symbol?.name === 'RoleCredentials' && declared !== undefined && resolve(declared) === credentialsModule
    );
  };
  return (file, config) => {
    if (config === undefined) return 'own-role';
    const source = program.getSourceFile(file);
    if (source === undefined) {
      // Plain JavaScript of a package (e.g. Powertools' default client): explicit credentials are unknown.
      const literal = ts.isObjectLiteralExpression(config) ? config : undefined;
      const explicit = literal?.properties.some((p) => p.name?.getText() === 'credentials') ?? false;
      return explicit ? 'unknown' : 'own-role';
    }
    const node = findSame(source, config);
    if (node === undefined) return 'unknown';
    const credentials = checker.getTypeAtLocation(node).getProperty('credentials');
    if (credentials === undefined) return 'own-role';
    return isRoleCredentials(checker.getTypeOfSymbolAtLocation(credentials, node)) ? 'check-role' : 'unknown';
  };
}

/** The node of `source` at the same position as `like` (parsed separately from the same text). */
function findSame(source: ts.SourceFile, like: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.pos === like.pos && node.end === like.end && node.kind === like.kind) found = node;
    else if (node.pos <= like.pos && node.end >= like.end) ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every operation the bundle of `entry` can send, and the clients it builds. */
export async function operationsOf(entry: string, bundling: BundlingOptions): Promise<FunctionOperations> {
  const files = (await bundledFiles(entry, bundling)).filter(scanned);
  const ownFiles = files.filter((f) => packageOf(f) === undefined);
  const classify = roleCredentialsClassifier(ownFiles);
  const found = {
    ops: new Map<string, SdkOperation>(),
    clients: [] as ClientConstruction[],
    problems: [] as string[],
  };
  // The project's files are all parsed (one may reach the SDK only through a re-exporting module);
  // a package's only when it mentions the SDK.
  const sources = files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    if (packageOf(file) !== undefined && !text.includes('@aws-sdk/')) return [];
    return [{ file, source: ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true) }];
  });
  const reExports: ReExports = new Map();
  for (const { file, source } of sources) collectReExports(file, source, reExports);
  settleReExports(reExports);
  for (const { file, source } of sources) scanFile(file, source, classify, found, reExports);
  return {
    operations: [...found.ops.values()].sort((a, b) => a.action.localeCompare(b.action)),
    clients: found.clients,
    problems: found.problems,
    ownFiles: ownFiles.map((f) => relative(PROJECT_ROOT, f)),
  };
}

/**
 * Where each service's requests are signed, derived from how its clients are built in the bundle: only
 * without explicit credentials (the function's role), or only with the check role's. A service built
 * both ways, or with other credentials, is `undefined`: the caller must classify its calls by hand.
 */
export function placementOfService(
  clients: readonly ClientConstruction[],
  pkg: string,
): Placement | undefined {
  // The document client wraps a DynamoDB client: it signs like the client it wraps.
  const clientPackage = pkg === '@aws-sdk/lib-dynamodb' ? '@aws-sdk/client-dynamodb' : pkg;
  const placements = new Set(
    clients.filter((c) => c.clientPackage === clientPackage).map((c) => c.placement),
  );
  if (placements.size !== 1) return undefined;
  const [only] = [...placements];
  return only === 'unknown' ? undefined : only;
}
