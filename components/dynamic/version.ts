// `providerVersion`: the version of the loader (loader.ts) a dynamic resource stores in state, passed as an input of
// the resource. It has one purpose: to make the engine store the current loader in state that holds another one.
//
// The engine keeps the serialized provider (`__provider`, here the loader) in each dynamic resource's outputs and loads
// it for `refresh` and `destroy`. It stores a new one only when the resource is created or updated: a `diff` that sees
// no change leads to a "same" step, which keeps the old outputs, `__provider` included (pkg v3.248 `SameStep.Apply`),
// and a refresh keeps it too (the nodejs dynamic-provider host copies it over the read). So the version is the hash of
// the loader's source and of what it loads (its `ProviderModule`, providerModules.ts): a new loader changes the
// version, and the provider's `diff` reports that as an in-place update (never a replace), which stores it once. The
// provider's own code is not part of it: the loader requires that code from the checkout at every operation, so an edit
// to a provider (a comment or a whole fix) shows no change. Compatibility kept: state written before the loader
// existed holds the whole provider instead, and sees a different version too (one in-place update).
//
// Why a hash of the source rather than of the serialized text: the serialized text is compiler output, and it also
// depends on how and from which module the program registered the resource; the source hash is the same on every
// machine that has the same checkout, and costs no second serialization per program run.

import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { ProviderModule } from "./loader";

export interface SourceFile {
    /** Path relative to a fixed root, with "/" separators. */
    path: string;
    text: string;
}

const VERSION_LENGTH = 16;

/** Pure: the version of a set of source files (order-independent, line-ending-independent). */
export function sourceVersion(files: readonly SourceFile[]): string {
    const hash = createHash("sha256");
    for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
        // A checkout with CRLF line endings is the same code.
        hash.update(`${file.path}\0${file.text.replace(/\r\n/g, "\n")}\0`);
    }
    return hash.digest("hex").slice(0, VERSION_LENGTH);
}

/** Module specifiers of local imports, exports and requires in a TypeScript or JavaScript source. Pure. */
function localSpecifiers(text: string): string[] {
    const found: string[] = [];
    const pattern =
        /(?:import|export)[^"';]*?from\s+["']([^"']+)["']|import\s+["']([^"']+)["']|require\(\s*["']([^"']+)["']\s*\)|import\(\s*["']([^"']+)["']\s*\)/g;
    for (const m of text.matchAll(pattern)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
        if (spec.startsWith(".")) found.push(spec);
    }
    return found;
}

// Source (ts-node) and compiled (tsc) layouts both resolve.
const EXTENSIONS = [".ts", ".js"];

function resolveModule(base: string): string | undefined {
    const candidates = [
        base,
        ...EXTENSIONS.map((e) => base + e),
        ...EXTENSIONS.map((e) => path.join(base, `index${e}`)),
    ];
    return candidates.find((f) => EXTENSIONS.includes(path.extname(f)) && fs.existsSync(f) && fs.statSync(f).isFile());
}

/** The source files of a module and of every local module it imports, transitively, relative to `root`. */
export function moduleGraphFiles(entry: string, root: string): SourceFile[] {
    const start = resolveModule(entry);
    if (!start) throw new Error(`providerVersion: cannot find the module ${entry} (.ts or .js)`);
    const seen = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
        const file = queue.shift()!;
        if (seen.has(file)) continue;
        const text = fs.readFileSync(file, "utf8");
        seen.set(file, text);
        for (const spec of localSpecifiers(text)) {
            const resolved = resolveModule(path.resolve(path.dirname(file), spec));
            if (!resolved)
                throw new Error(`providerVersion: ${spec}, imported by ${file}, does not resolve to a .ts or .js file`);
            queue.push(resolved);
        }
    }
    return [...seen].map(([file, text]) => ({ path: path.relative(root, file).split(path.sep).join("/"), text }));
}

/**
 * The version of the loader that a dynamic resource stores in state for `target` (see loader.ts): the loader module's
 * source (and any local module it imports) and the provider module it loads. Read once when the program loads;
 * `loaderEntry` is for tests.
 */
export function loaderVersion(target: ProviderModule, loaderEntry = path.join(__dirname, "loader")): string {
    const files = moduleGraphFiles(loaderEntry, path.dirname(loaderEntry));
    return sourceVersion([...files, { path: "<target>", text: `${target.entry}\0${target.factory}` }]);
}
