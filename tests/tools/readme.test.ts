// The README as a user reads it: its table of contents lists every section with a working anchor, every in-page link
// lands on a heading, the StackReference example is the type-checked file it quotes, and the verify-access --model
// example names a model of the shipped stacks. In-process: the README and the example stacks are read, nothing runs.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/common/stackFile";
import { RETAINED_SECTION } from "../../scripts/plan/summary";
import { verifyArgs } from "../../scripts/verify/args";
import { EXAMPLES_ROOT } from "../helpers/programHarness";

const README = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

/** README lines outside fenced code blocks. */
function prose(): string[] {
    let fenced = false;
    return README.split("\n").filter((line) => {
        if (line.startsWith("```")) fenced = !fenced;
        return !fenced && !line.startsWith("```");
    });
}

/** GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen. */
function anchorOf(title: string): string {
    return title
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}_\- ]/gu, "")
        .replace(/ /g, "-");
}

function headings(levels: RegExp): { title: string; depth: number }[] {
    return prose()
        .map((line) => /^(#{2,4}) (.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null && levels.test(m[1]))
        .map((m) => ({ title: m[2], depth: m[1].length }));
}

describe("README", () => {
    it("the table of contents lists every ## and ### section, in order, with its anchor", () => {
        const contents = README.slice(
            README.indexOf("## Contents\n"),
            README.indexOf("\n## ", README.indexOf("## Contents\n") + 1),
        );
        const listed = contents.split("\n").filter((l) => /^\s*- \[/.test(l));
        const expected = headings(/^#{2,3}$/)
            .filter((h) => h.title !== "Contents")
            .map((h) => `${h.depth === 3 ? "  " : ""}- [${h.title}](#${anchorOf(h.title)})`);
        expect(listed).to.deep.equal(expected);
    });

    it("every in-page link lands on a heading", () => {
        const anchors = new Set(headings(/^#{2,4}$/).map((h) => anchorOf(h.title)));
        const links = [...README.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
        expect(links.length).to.be.greaterThan(10);
        expect(links.filter((l) => !anchors.has(l))).to.deep.equal([]);
    });

    it("the plan's pointer to what destroy leaves behind (and the hand-over) lands on that section's heading", () => {
        const [file, anchor] = RETAINED_SECTION.split("#");
        expect(file).to.equal("README.md");
        expect(headings(/^#{2,4}$/).find((h) => anchorOf(h.title) === anchor)?.title).to.equal(
            "What `destroy` leaves behind, and how to remove it deliberately",
        );
    });

    it("the StackReference example is tests/readme/stackReference.ts, which tsc checks", () => {
        const file = fs.readFileSync(path.join(REPO_ROOT, "tests", "readme", "stackReference.ts"), "utf8");
        expect(README).to.include("```ts\n" + file + "```");
    });

    it("the verify-access --model example names a model of the shipped stack it runs on", () => {
        const line = README.split("\n").find((l) => /^npm run verify-access -- .*--model /.test(l));
        expect(line, "a README line running verify-access with --model").to.not.equal(undefined);
        const argv = line!
            .replace(/\s+#.*$/, "")
            .replace(/^npm run verify-access -- /, "")
            .split(/\s+/);
        const args = verifyArgs(argv, EXAMPLES_ROOT);
        expect(args.config.models.map((m) => m.name)).to.include(args.model);
    });
});
