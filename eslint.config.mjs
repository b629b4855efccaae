// ESLint flat config: typescript-eslint's recommended rules with type information off (tsc already type-checks
// in `npm test`), and eslint-config-prettier last so formatting is Prettier's alone.
import fs from "node:fs";
import path from "node:path";
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

// Parts point one way: layers.json lists the parts bottom layer first, and a part imports only from the layers below
// its own. For each folder and part, no-restricted-imports refuses the import paths, spelled relative to that folder,
// of every part in its own layer or above. tests/unit/layers.test.ts checks the same on the resolved import graph.
const root = import.meta.dirname;
const { layers } = JSON.parse(fs.readFileSync(path.join(root, "layers.json"), "utf8"));
const parts = layers.flatMap((layer, level) => Object.entries(layer).map(([name, paths]) => ({ name, paths, level })));
const holds = (p, file) => file === `${p}.ts` || file.startsWith(`${p}/`);
/** The part of the longest path that holds the file. */
function partOf(file) {
    const owners = parts.flatMap((part) =>
        part.paths.filter((p) => holds(p, file)).map((p) => ({ part, length: p.length })),
    );
    return owners.sort((a, b) => b.length - a.length)[0]?.part;
}
function tsFiles(dir) {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
        const file = path.posix.join(dir, e.name);
        return e.isDirectory() ? tsFiles(file) : e.name.endsWith(".ts") ? [file] : [];
    });
}
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The regex of a part's import paths from `dir`, less the paths inside it that belong to other parts. */
function importPaths(part, dir) {
    const alternatives = part.paths.map((p) => {
        const rel = path.posix.relative(dir, p);
        const inner = parts.flatMap((q) => q.paths).filter((q) => q.startsWith(`${p}/`));
        const except = inner.length
            ? `(?!/(?:${inner.map((q) => escape(q.slice(p.length + 1))).join("|")})(?:\\.ts|/|$))`
            : "";
        return `${escape(rel.startsWith(".") ? rel : `./${rel}`)}${except}`;
    });
    return `^(?:${alternatives.join("|")})(?:\\.ts|/.*)?$`;
}
function layerRules() {
    const groups = new Map();
    for (const file of ["index.ts", ...tsFiles("components"), ...tsFiles("scripts")]) {
        const part = partOf(file);
        if (part === undefined) continue; // tests/unit/layers.test.ts names it
        const key = `${path.posix.dirname(file)}|${part.name}`;
        groups.set(key, { dir: path.posix.dirname(file), part, files: [...(groups.get(key)?.files ?? []), file] });
    }
    return [...groups.values()].map(({ dir, part, files }) => {
        const above = parts.filter((other) => other !== part && other.level >= part.level);
        const patterns = above.map((other) => ({
            regex: importPaths(other, dir),
            message: `${part.name} (layer ${part.level + 1} of layers.json) imports only from the layers below it, not from ${other.name} (layer ${other.level + 1}): move what it needs down.`,
        }));
        return { files, rules: { "no-restricted-imports": ["error", { patterns }] } };
    });
}

export default tseslint.config(
    { ignores: ["node_modules/**", "bin/**", "bench/results/**", "scratch/**", ".engine/**"] },
    { linterOptions: { reportUnusedDisableDirectives: "error" } },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
            ],
        },
    },
    {
        // Product code: every function fits on a screen (the developers' guide's 120 lines, counted as written).
        files: ["index.ts", "components/**/*.ts", "scripts/**/*.ts"],
        rules: {
            "max-lines-per-function": ["error", { max: 120, skipBlankLines: false, skipComments: false, IIFEs: true }],
        },
    },
    ...layerRules(),
    prettier,
);
