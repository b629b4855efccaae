// Every reference resolves (issue 20): a file a comment names is in the repository, and a README section a message or
// comment cites ("README: "<heading>"", README.md#anchor) is a heading of the README. A reader who follows one lands
// somewhere; a reference to a file that left the repository fails here instead of misleading.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
const SKIP = new Set(["node_modules", ".git", "bin", "scratch", ".engine", "results", ".pulumi-state"]);

function walk(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        if (SKIP.has(e.name)) return [];
        const file = dir === "" ? e.name : `${dir}/${e.name}`;
        return e.isDirectory() ? walk(file) : [file];
    });
}

const REPO_FILES = walk("");
const BASENAMES = new Set(REPO_FILES.map((f) => path.posix.basename(f)));
const TOP_LEVEL = new Set(REPO_FILES.map((f) => f.split("/")[0]));
const SOURCES = REPO_FILES.filter((f) => /\.(ts|mjs)$/.test(f) && !f.startsWith("tests/fixtures/"));

/** The comments of a TypeScript or JavaScript file, each with the line it starts on. */
function comments(file: string): Array<{ line: number; text: string }> {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const source = ts.createSourceFile(
        file,
        text,
        ts.ScriptTarget.Latest,
        true,
        file.endsWith(".mjs") ? ts.ScriptKind.JS : ts.ScriptKind.TS,
    );
    const seen = new Map<number, string>();
    const collect = (ranges: ts.CommentRange[] | undefined) =>
        ranges?.forEach((r) => seen.set(r.pos, text.slice(r.pos, r.end)));
    const visit = (node: ts.Node) => {
        collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
        collect(ts.getTrailingCommentRanges(text, node.getEnd()));
        node.forEachChild(visit);
    };
    visit(source);
    collect(ts.getLeadingCommentRanges(text, source.endOfFileToken.getFullStart()));
    return [...seen.entries()].map(([pos, comment]) => ({
        line: source.getLineAndCharacterOfPosition(pos).line + 1,
        text: comment,
    }));
}

/** A path-like word ending in a file extension; not inside a URL or a longer path (the look-behind). */
const FILE_WORD = /(?<![\w@/.<>:-])((?:\.{1,2}\/)?[\w.-]+(?:\/[\w.-]+)*\.(ts|mjs|md|jsonc|sh|json|yaml))(?![\w/-])/g;

/**
 * Whether a word names a file of this repository: code and docs always; .json and .yaml only as a path from a folder of
 * the repository (a bare `config.json` is a model artifact's name, `Pulumi.mystack.yaml` a user's stack file).
 */
function isRepoReference(word: string, ext: string): boolean {
    if (!["json", "yaml"].includes(ext)) return true;
    return word.startsWith(".") || (word.includes("/") && TOP_LEVEL.has(word.split("/")[0]));
}

/** From the citing file's folder, from the repository root, as the tail of a repository path, or as a file's name. */
function resolves(word: string, from: string): boolean {
    const dir = path.posix.dirname(from);
    if (word.startsWith(".")) return REPO_FILES.includes(path.posix.normalize(path.posix.join(dir, word)));
    if (word.includes("/")) {
        return (
            REPO_FILES.includes(word) ||
            REPO_FILES.includes(path.posix.join(dir, word)) ||
            REPO_FILES.some((f) => f.endsWith(`/${word}`))
        );
    }
    return BASENAMES.has(word);
}

/** GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen (as tests/tools/readme.test.ts). */
function anchorOf(title: string): string {
    return title
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, "")
        .replace(/ /g, "-");
}

const README_HEADINGS = fs
    .readFileSync(path.join(ROOT, "README.md"), "utf8")
    .split("\n")
    .filter((l) => /^#{1,4} /.test(l))
    .map((l) => l.replace(/^#+ /, "").trim());

/**
 * `README "<heading>"`, `README: "<heading>"`, `README's "<heading>"` and `README.md#<anchor>`, wherever they are
 * written.
 */
function readmeCitations(text: string): Array<{ heading?: string; anchor?: string }> {
    const headings = [...text.matchAll(/README(?:\.md)?(?:'s)?:?\s+"([^"]+)"/g)].map((m) => ({ heading: m[1] }));
    const anchors = [...text.matchAll(/README\.md#([\w-]+)/g)].map((m) => ({ anchor: m[1] }));
    return [...headings, ...anchors];
}

describe("every reference resolves", () => {
    it("every repository file a comment names exists", () => {
        const missing = SOURCES.flatMap((file) =>
            comments(file).flatMap(({ line, text }) =>
                [...text.matchAll(FILE_WORD)]
                    .filter((m) => isRepoReference(m[1], m[2]) && !resolves(m[1], file))
                    .map((m) => `${file}:${line}: ${m[1]}`),
            ),
        );
        expect(missing).to.deep.equal([]);
    });

    it("every file a docs/ page links to exists", () => {
        const docs = REPO_FILES.filter((f) => f.startsWith("docs/") && f.endsWith(".md"));
        const missing = docs.flatMap((doc) =>
            [...fs.readFileSync(path.join(ROOT, doc), "utf8").matchAll(/\]\(([^)#\s]+)[^)]*\)/g)]
                .map((m) => m[1])
                .filter((target) => !/^[a-z]+:/.test(target) && !fs.existsSync(path.join(ROOT, "docs", target)))
                .map((target) => `${doc}: ${target}`),
        );
        expect(missing).to.deep.equal([]);
    });

    it("every README section a message, comment or docs/ page cites is a heading of the README", () => {
        const anchors = new Set(README_HEADINGS.map(anchorOf));
        // This file's own examples of the forms are not citations.
        const files = [...SOURCES, ...REPO_FILES.filter((f) => f.startsWith("docs/"))].filter(
            (f) => f !== "tests/tools/references.test.ts",
        );
        const missing = files.flatMap((file) =>
            readmeCitations(fs.readFileSync(path.join(ROOT, file), "utf8"))
                .filter((c) =>
                    c.heading !== undefined ? !README_HEADINGS.includes(c.heading) : !anchors.has(c.anchor!),
                )
                .map((c) => `${file}: README ${c.heading !== undefined ? `"${c.heading}"` : `#${c.anchor}`}`),
        );
        expect(missing).to.deep.equal([]);
    });

    it("finds what it is meant to find: a file that is not there, and a README section that is not there", () => {
        expect(
            [..."// see scenario.md, item 4".matchAll(FILE_WORD)].map((m) => resolves(m[1], "components/x.ts")),
        ).to.deep.equal([false]);
        expect(resolves("components/naming.ts", "scripts/plan/plan.ts")).to.equal(true);
        expect(resolves("../naming.ts", "components/config/providerArgs.ts")).to.equal(true);
        expect(isRepoReference("config.json", "json")).to.equal(false);
        expect(readmeCitations('`(README: "The deploying identity")`')).to.deep.equal([
            { heading: "The deploying identity" },
        ]);
        expect(README_HEADINGS).to.not.include("No such section");
    });
});
