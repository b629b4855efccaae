// The root Pulumi.<stack>.yaml files are the user's: the Quick start has them edited with the user's own accounts,
// bucket and models, and `npm test` must stay green whatever valid values they hold. So no test reads them: the
// shipped examples are tested through their copies in tests/fixtures/examples. This scan of every test source finds
// a root stack file named by path, a stack reader or a tool given the repository root as its project folder, or a
// tool left to find its folder itself (which is the repository root).

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/common/stackFile";

const TESTS = path.join(REPO_ROOT, "tests");

/** Opt-in end-to-end run against real AWS: it deploys a stack of the user's own by design (BEDROCK_CMI_E2E_STACK). */
const ALLOWED = new Set([path.join("tests", "engine", "realAws.test.ts")]);

// What names the repository root in test sources.
const ROOT = String.raw`(?:REPO_ROOT|REPO|path\.(?:resolve|join)\(__dirname, "\.\.", "\.\."\))`;
// Readers of stack files and the project folder, each taking the folder to read.
const READERS = String.raw`(?:readStackConfig|readStackConfigMap|loadStack|knownStacks|requireStack|stackFilePath|otherStacks|readProjectConfig|verifyArgs|tempStackRootFrom)`;
const PATTERNS: Array<{ what: string; re: RegExp }> = [
    {
        what: "a root stack file by path",
        re: new RegExp(String.raw`${ROOT}(?:\s*,\s*["'\`]|\}/)Pulumi\.(?!ya?ml["'\`])[^"'\`]*`),
    },
    { what: "a stack reader given the repository root", re: new RegExp(String.raw`\b${READERS}\([^;]*?\b${ROOT}`) },
    {
        what: "a tool given the repository root as its project folder",
        re: new RegExp(String.raw`\b(?:root|workDir|INIT_CWD):\s*${ROOT}`),
    },
];
// The tools' entry points find the project folder themselves (INIT_CWD or the working directory, else the repository
// root).
const TOOL_CALLS = /(?<!function )\b(buildPlan|planMain|verifyArgs|inProcess)\(/g;
const TOOL_SCRIPTS = /scripts[/"', ]+(?:plan|verifyAccess)\.ts|npm run (?:plan|verify-access)|readmeJsonCommand\(\)/;

/** The text of a call's arguments, from the "(" at `open` to its matching ")". */
function argumentsAt(source: string, open: number): string {
    let depth = 0;
    for (let i = open; i < source.length; i++) {
        if (source[i] === "(") depth++;
        else if (source[i] === ")" && --depth === 0) return source.slice(open + 1, i);
    }
    return source.slice(open + 1);
}

/** Each place in `source` that would read the root stack files, as "line N: what". */
function rootStackReads(source: string): string[] {
    const found: string[] = [];
    const lineOf = (index: number) => source.slice(0, index).split("\n").length;
    for (const { what, re } of PATTERNS) {
        for (const m of source.matchAll(new RegExp(re.source, "g")))
            found.push(`line ${lineOf(m.index)}: ${what}: ${m[0].slice(0, 100)}`);
    }
    for (const m of source.matchAll(TOOL_CALLS)) {
        const args = argumentsAt(source, m.index + m[0].length - 1);
        // The folder must be given (or the caller's options passed on), and not be the repository root.
        if (!/\b\w*(?:root|ROOT)\b|\bopts\b/.test(args.replace(new RegExp(ROOT, "g"), ""))) {
            found.push(
                `line ${lineOf(m.index)}: ${m[1]} without a project folder (it would read the repository root): ` +
                    `${m[1]}(${args.slice(0, 80)})`,
            );
        }
    }
    // A stack reader without its folder argument (the readers used to default to the repository root).
    for (const m of source.matchAll(
        /(?<!function )\b(readStackConfig|readStackConfigMap|loadStack|stackFilePath|requireStack|otherStacks)\(/g,
    )) {
        const args = argumentsAt(source, m.index + m[0].length - 1);
        let depth = 0;
        const topLevelCommas = [...args].filter(
            (c) => ((depth += "([{".includes(c) ? 1 : ")]}".includes(c) ? -1 : 0), c === "," && depth === 0),
        ).length;
        if (topLevelCommas === 0)
            found.push(`line ${lineOf(m.index)}: ${m[1]} without a folder: ${m[1]}(${args.slice(0, 80)})`);
    }
    // A child process running a tool from the repository root reads its stack files.
    const childFromRoot = new RegExp(String.raw`\bcwd:\s*${ROOT}`, "g");
    if (TOOL_SCRIPTS.test(source)) {
        for (const m of source.matchAll(childFromRoot))
            found.push(`line ${lineOf(m.index)}: a tool started in the repository root: ${m[0]}`);
    }
    return found;
}

function testSources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return testSources(full);
        return e.name.endsWith(".ts") ? [full] : [];
    });
}

describe("tests read fixtures, never the user's root stack files", () => {
    it("no test source reads a root Pulumi.<stack>.yaml (static scan of tests/)", () => {
        const self = path.relative(REPO_ROOT, __filename);
        const found = testSources(TESTS)
            .map((f) => path.relative(REPO_ROOT, f))
            .filter((f) => f !== self && !ALLOWED.has(f))
            .flatMap((f) =>
                rootStackReads(fs.readFileSync(path.join(REPO_ROOT, f), "utf8")).map((hit) => `${f} ${hit}`),
            );
        expect(
            found,
            `read tests/fixtures/examples (EXAMPLES_ROOT) or tests/fixtures instead:\n${found.join("\n")}`,
        ).to.deep.equal([]);
    });

    it("the scan finds each way a test could read them", () => {
        const reads = [
            'fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")',
            "fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`))",
            "fs.readFileSync(`${REPO_ROOT}/Pulumi.prod.yaml`)",
            'const config = loadStack("dev", REPO_ROOT);',
            "const run = await runProgram(readStackConfigMap(name), name);",
            "accessParams(loadStack(other.name))",
            'readStackConfigMap("prod", path.resolve(__dirname, "..", ".."))',
            "const STACKS = [{ root: REPO_ROOT, stack: 'dev' }];",
            'const plan = await buildPlan("dev", { beforeLoad: patch });',
            'await planMain(["--stack", "dev"], io);',
            'verifyArgs(["--stack", "dev"])',
            'execFile(node, [path.join(REPO_ROOT, "scripts", "plan.ts")], { cwd: REPO_ROOT })',
        ];
        for (const source of reads) expect(rootStackReads(source), source).to.have.length.greaterThan(0);
        const fine = [
            'fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")',
            'fs.readFileSync(path.join(REPO_ROOT, "tests", "fixtures", "Pulumi.dev.yaml"), "utf8")',
            'loadStack("dev", EXAMPLES_ROOT)',
            'await buildPlan("dev", { beforeLoad: patch, root: FIXTURES_ROOT })',
            'verifyArgs(["--stack", "dev"], root)',
            'execFile(node, [path.join(REPO_ROOT, "scripts", "plan.ts")], { cwd: EXAMPLES_ROOT })',
            'require(path.join(REPO_ROOT, "components", "policies"))',
        ];
        for (const source of fine) expect(rootStackReads(source), source).to.deep.equal([]);
    });
});
