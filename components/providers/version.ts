// The version of a dynamic provider's code, as an input of its resources.
//
// The engine stores each dynamic resource's serialized provider in its state, and `refresh` and `destroy` run that
// stored copy. A new copy is stored only when the resource is created or updated, and a `diff` that sees no input
// change never leads to an update: a fix to the provider would never reach resources that already exist. With the
// code's version as an input, changed code is an input change; the provider's `diff` reports it as an in-place
// update (never a replace) and the update stores the current code.
//
// Why a hash of the source files rather than package.json's version: nobody has to remember to bump anything, and
// the value is the same on every machine that has the same checkout (the serialized text itself embeds details
// of the machine and costs a second serialization per program run). It covers the whole module graph that gets
// serialized (the provider file and every local module it imports, transitively); SDK packages are `require`d
// at run time from the program's node_modules, not stored in state, so they are not part of it. An edit that
// changes only comments also changes the version: the resulting update is harmless (it rewrites nothing when the
// live state is already as wanted).

import * as fs from "fs";
import * as path from "path";

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
    if (!start) throw new Error(`providerVersion: cannot find the provider module ${entry} (.ts or .js)`);
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
 * The version of the dynamic provider whose code starts at `entry` (a module path, extension optional). Read once
 * when the program loads. Paths are taken relative to the entry's directory, so the version does not depend on
 * where the checkout lives.
 */
export function providerVersion(entry: string): string {
    return sourceVersion(moduleGraphFiles(entry, path.dirname(entry)));
}
