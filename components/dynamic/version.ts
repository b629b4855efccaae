// The version of what a dynamic resource stores in state as its provider, as an input of the resource
// (`providerVersion`).
//
// The engine stores the serialized provider (`__provider`) in each dynamic resource's outputs, and `refresh` and
// `destroy` run that stored copy. The stored copy changes only when the resource is created or updated: a `diff`
// that sees no change leads to a "same" step, which keeps the old outputs, `__provider` included (pkg v3.248
// `SameStep.Apply`), and a refresh keeps it too (the nodejs dynamic-provider host copies it over the read). What is
// stored now is a small loader (loader.ts) that loads the checkout's provider code at every operation, so an edit to
// the provider's code needs nothing new in state: it must show no change. What state still needs refreshed is the
// loader itself, when it changes, and state written before the loader existed, which holds the whole provider
// serialized by value. The version is therefore the hash of the loader's source and of what it loads (its
// `ProviderModule`): both kinds of old state see a different version, and the provider's `diff` reports that as an
// in-place update (never a replace), which stores the current loader once. Afterwards any edit to the provider's
// code, a comment or a whole fix, leaves the version as it is.
//
// Why a hash of the source rather than of the serialized text: the serialized text is compiler output, and it also
// depends on how and from which module the program registered the resource; the source hash is the same on every
// machine that has the same checkout, and costs no second serialization per program run.

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
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto: typeof import("crypto") = require("crypto");
    const hash = crypto.createHash("sha256");
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
    const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
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
            if (!resolved) throw new Error(`providerVersion: ${spec}, imported by ${file}, does not resolve to a .ts or .js file`);
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
