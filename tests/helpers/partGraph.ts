// The import graph between the parts layers.json declares, resolved the way TypeScript resolves relative imports, for
// tests/unit/layers.test.ts. Type-only imports count: a part that names another's types depends on it too.

import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");

export interface Part {
    name: string;
    paths: string[];
    /** 0 for the bottom layer. */
    level: number;
}

export function loadParts(): Part[] {
    const { layers } = JSON.parse(fs.readFileSync(path.join(ROOT, "layers.json"), "utf8")) as {
        layers: Array<Record<string, string[]>>;
    };
    return layers.flatMap((layer, level) => Object.entries(layer).map(([name, paths]) => ({ name, paths, level })));
}

/** The part of the longest path that holds `file` (repo-relative, "/"-separated), if any. */
export function partOf(parts: readonly Part[], file: string): Part | undefined {
    let best: { part: Part; length: number } | undefined;
    for (const part of parts) {
        for (const p of part.paths) {
            const holds = file === `${p}.ts` || file.startsWith(`${p}/`);
            if (holds && (best === undefined || p.length > best.length)) best = { part, length: p.length };
        }
    }
    return best?.part;
}

function tsFiles(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        const file = path.posix.join(dir, e.name);
        return e.isDirectory() ? tsFiles(file) : e.name.endsWith(".ts") ? [file] : [];
    });
}

/** The program's and the scripts' own TypeScript files (the tests are outside the layers). */
export function productFiles(): string[] {
    return ["index.ts", ...tsFiles("components"), ...tsFiles("scripts")];
}

/** The repo files `file` imports, exports from or requires by a relative path. */
function relativeImports(file: string): string[] {
    const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), "utf8"), true, true);
    return info.importedFiles
        .map((i) => i.fileName)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => {
            const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
            return [`${base}.ts`, `${base}/index.ts`, base].find((f) => fs.existsSync(path.join(ROOT, f))) ?? base;
        });
}

/** part name → the parts it imports, each with one import that shows it ("file -> file"). */
export type PartGraph = Map<string, Map<string, string>>;

export function partGraph(parts: readonly Part[], files: readonly string[]): PartGraph {
    const graph: PartGraph = new Map();
    for (const file of files) {
        const from = partOf(parts, file);
        if (from === undefined) continue;
        const edges = graph.get(from.name) ?? new Map<string, string>();
        graph.set(from.name, edges);
        for (const target of relativeImports(file)) {
            const to = partOf(parts, target);
            if (to !== undefined && to !== from && !edges.has(to.name)) edges.set(to.name, `${file} -> ${target}`);
        }
    }
    return graph;
}

/** The circles of the graph: its strongly connected components of more than one node (Tarjan), each sorted. */
export function circles(graph: ReadonlyMap<string, ReadonlyMap<string, string>>): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const found: string[][] = [];
    const visit = (node: string): void => {
        index.set(node, index.size);
        low.set(node, index.get(node)!);
        stack.push(node);
        for (const next of graph.get(node)?.keys() ?? []) {
            if (!index.has(next)) {
                visit(next);
                low.set(node, Math.min(low.get(node)!, low.get(next)!));
            } else if (stack.includes(next)) {
                low.set(node, Math.min(low.get(node)!, index.get(next)!));
            }
        }
        if (low.get(node) === index.get(node)) {
            const component: string[] = [];
            let member: string;
            do {
                member = stack.pop()!;
                component.push(member);
            } while (member !== node);
            if (component.length > 1) found.push(component.sort());
        }
    };
    for (const node of graph.keys()) if (!index.has(node)) visit(node);
    return found;
}
