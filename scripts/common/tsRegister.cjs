// Loads this repository's .ts files in Node without ts-node: `node -r ./scripts/common/tsRegister.cjs file.ts`, and
// mocha's `require`. Each file is transpiled alone (ts.transpileModule, as ts-node's transpile-only mode does) with
// tsconfig.json's compiler options, as CommonJS; `npm run build` (tsc --noEmit) is what type-checks.
// Why not ts-node: loading the TypeScript compiler costs about half a second of CPU in every process (each mocha
// worker, each child process a test starts, each `npm run plan`), and ts-node transpiles every file again each time.
// Here the output is cached under node_modules/.cache/ts-transpile, keyed by the file's content, the TypeScript
// version, tsconfig.json and this file: a warm run does not load the compiler at all.
// Stack traces point into the .ts sources: the output carries an inline source map and Node's own source-map support
// is switched on (process.setSourceMapsEnabled). Node reads a module's map when it compiles it, if support is on then:
// it is switched off while packages under node_modules compile, whose maps (over 600 files, a third of a second of
// `npm run plan`) nobody here reads.
"use strict";
/* global require, module, __dirname, __filename */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: loaded with `node -r` before any TypeScript can be */

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const process = require("node:process");

const ROOT = path.resolve(__dirname, "..", "..");
const TSCONFIG = path.join(ROOT, "tsconfig.json");
const CACHE_DIR = process.env.TS_TRANSPILE_CACHE_DIR || path.join(ROOT, "node_modules", ".cache", "ts-transpile");
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

let compiler; // { ts, options }, loaded on the first cache miss only

function loadCompiler() {
    if (compiler) return compiler;
    const ts = require("typescript");
    const parsed = ts.parseJsonConfigFileContent(
        ts.readConfigFile(TSCONFIG, ts.sys.readFile).config ?? {},
        ts.sys,
        ROOT,
    );
    const options = {
        ...parsed.options,
        // One file at a time, as CommonJS for require(); the source map inline so Node finds it with the code.
        module: ts.ModuleKind.CommonJS,
        sourceMap: false,
        inlineSourceMap: true,
        inlineSources: false,
        declaration: false,
        declarationMap: false,
        noEmit: false,
        isolatedModules: true,
    };
    delete options.outDir;
    delete options.tsBuildInfoFile;
    delete options.incremental;
    compiler = { ts, options };
    return compiler;
}

/** What the cache key covers besides the file's own content: the compiler, its options and this hook. */
function environmentKey() {
    const hash = crypto.createHash("sha256");
    hash.update(require("typescript/package.json").version);
    hash.update("\0");
    hash.update(fs.existsSync(TSCONFIG) ? fs.readFileSync(TSCONFIG) : "");
    hash.update("\0");
    hash.update(fs.readFileSync(__filename));
    return hash.digest("hex");
}

let envKey;

function cacheFile(cacheDir, filename, source) {
    envKey ??= environmentKey();
    const key = crypto
        .createHash("sha256")
        .update(envKey)
        .update("\0")
        .update(filename)
        .update("\0")
        .update(source)
        .digest("hex");
    return path.join(cacheDir, key.slice(0, 2), `${key}.js`);
}

function transpile(filename, source) {
    const { ts, options } = loadCompiler();
    const out = ts.transpileModule(source, { fileName: filename, compilerOptions: options, reportDiagnostics: true });
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
        const text = ts.formatDiagnostics(errors, {
            getCanonicalFileName: (f) => f,
            getCurrentDirectory: () => ROOT,
            getNewLine: () => "\n",
        });
        throw new SyntaxError(`TypeScript could not transpile ${filename}:\n${text}`);
    }
    return out.outputText;
}

/** The JavaScript for one .ts file: from the cache, or transpiled and stored (atomically: other processes share it). */
function compile(filename, source, cacheDir = CACHE_DIR) {
    const file = cacheFile(cacheDir, filename, source);
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        // not cached yet
    }
    const code = transpile(filename, source);
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
        fs.writeFileSync(tmp, code);
        fs.renameSync(tmp, file);
    } catch {
        // A read-only or full disk only costs the cache.
    }
    return code;
}

function register() {
    const marker = Symbol.for("bedrock-cross-account-import.tsRegister");
    if (globalThis[marker]) return;
    globalThis[marker] = true;
    const loadJs = require.extensions[".js"];
    const sourceMaps = (on) => process.setSourceMapsEnabled?.(on);
    sourceMaps(true);
    require.extensions[".js"] = function (module, filename) {
        if (!filename.includes(NODE_MODULES)) return loadJs(module, filename);
        // Node decides about a module's map before running it, so the modules it requires decide for themselves.
        sourceMaps(false);
        try {
            return loadJs(module, filename);
        } finally {
            sourceMaps(true);
        }
    };
    require.extensions[".ts"] = function (module, filename) {
        // Like ts-node, files under node_modules are not ours to transpile.
        if (filename.includes(NODE_MODULES)) return require.extensions[".js"](module, filename);
        const source = fs.readFileSync(filename, "utf8");
        module._compile(compile(filename, source), filename);
    };
}

register();

module.exports = { compile };
