/**
 * Builds the published form of the library into `dist/` with the TypeScript compiler
 * (`tsconfig.build.json`): ES modules, `.d.ts` declarations, declaration maps and source maps.
 * Runs before `npm pack` (`prepack`) and in the root `npm test`; the monorepo itself runs the
 * sources (the root tsconfig maps the package name to `src/`).
 *
 * The sources import each other with `.ts` extensions. `rewriteRelativeImportExtensions` turns
 * those into `.js` in the emitted JavaScript, but declaration emit keeps them as written, and a
 * consumer compiling with `moduleResolution: nodenext` then reads `.ts` specifiers inside
 * node_modules. A declaration transformer rewrites relative `.ts` specifiers to `.js` before the
 * declarations and their maps are printed. `dist/` is emptied first, so a file whose source was
 * deleted cannot ship.
 *
 *   node scripts/build.ts
 *
 * Runs without tsx (Node's own type stripping): keep it to erasable TypeScript.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const configPath = join(packageDir, 'tsconfig.build.json');

/** `./x.ts` → `./x.js`; anything else (packages, `node:` modules, `.js` already) is left alone. */
function rewriteSpecifier(specifier: string): string {
  return /^\.\.?\//.test(specifier) && specifier.endsWith('.ts') && !specifier.endsWith('.d.ts')
    ? `${specifier.slice(0, -3)}.js`
    : specifier;
}

/** Rewrites the module specifiers of imports, re-exports and `import("…")` types in a declaration file. */
const declarationSpecifiers: ts.TransformerFactory<ts.SourceFile | ts.Bundle> = (context) => {
  const { factory } = context;
  const literal = (node: ts.Expression | undefined): ts.StringLiteral | undefined => {
    if (!node || !ts.isStringLiteral(node)) return undefined;
    const rewritten = rewriteSpecifier(node.text);
    return rewritten === node.text ? undefined : factory.createStringLiteral(rewritten, true);
  };
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isImportDeclaration(node)) {
      const specifier = literal(node.moduleSpecifier);
      if (specifier) return factory.updateImportDeclaration(node, node.modifiers, node.importClause, specifier, node.attributes);
    } else if (ts.isExportDeclaration(node)) {
      const specifier = literal(node.moduleSpecifier);
      if (specifier) return factory.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, specifier, node.attributes);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const specifier = literal(node.argument.literal as ts.Expression);
      if (specifier) {
        return factory.updateImportTypeNode(node, factory.updateLiteralTypeNode(node.argument, specifier), node.attributes, node.qualifier, node.typeArguments, node.isTypeOf);
      }
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (root) => (ts.isSourceFile(root) ? ts.visitEachChild(root, visit, context) : root);
};

function report(diagnostics: readonly ts.Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => packageDir,
    getNewLine: () => '\n',
  }));
  process.exit(1);
}

const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => report([d]),
});
if (!config) throw new Error(`cannot read ${configPath}`);
report(config.errors);

rmSync(config.options.outDir!, { recursive: true, force: true });
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
const result = program.emit(undefined, undefined, undefined, false, { afterDeclarations: [declarationSpecifiers] });
report([...ts.getPreEmitDiagnostics(program), ...result.diagnostics]);
