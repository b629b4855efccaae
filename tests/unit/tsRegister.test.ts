// scripts/common/tsRegister.cjs, the loader of .ts files for mocha, `npm run plan` and `npm run verify-access`: the
// JavaScript it runs is what TypeScript emits for the file, a second load reads it from the cache instead of compiling,
// an edit to the file is compiled afresh, and stack traces name the .ts file's own lines.

import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT } from "../../scripts/common/stackFile";

const HOOK = path.join(REPO_ROOT, "scripts", "common", "tsRegister.cjs");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compile } = require(HOOK) as { compile(filename: string, source: string, cacheDir?: string): string };

const SOURCE = [
    "import type { Stats } from 'fs';",
    "enum Kind { A = 1 }",
    "export const size = (s: Stats): number => s.size * Kind.A;",
    "",
].join("\n");

function cachedFiles(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
}

describe("tsRegister: .ts files without ts-node, cached", () => {
    let tmp: string;
    beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ts-register-"))));
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("emits what TypeScript emits for the file as CommonJS (types gone, enums kept), with an inline source map", () => {
        const file = path.join(tmp, "a.ts");
        const code = compile(file, SOURCE, tmp);
        const expected = ts.transpileModule(SOURCE, {
            fileName: file,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        });
        expect(code.split("//# sourceMappingURL=")[0].trim()).to.equal(
            expected.outputText.split("//# sourceMappingURL=")[0].trim(),
        );
        expect(code).to.include("exports.size");
        expect(code).not.to.include("Stats");
        expect(code).to.match(/\/\/# sourceMappingURL=data:application\/json;base64,/);
    });

    it("a second load of the same content reads the cache; an edited file is compiled afresh", () => {
        const file = path.join(tmp, "a.ts");
        compile(file, SOURCE, tmp);
        const [entry] = cachedFiles(tmp);
        expect(cachedFiles(tmp)).to.have.length(1);
        // What the cache holds is what a second load returns: it did not compile again.
        fs.writeFileSync(path.join(tmp, entry), "/* from the cache */");
        expect(compile(file, SOURCE, tmp)).to.equal("/* from the cache */");
        const edited = compile(file, SOURCE.replace("Kind.A", "2"), tmp);
        expect(edited).to.include("s.size * 2");
        expect(cachedFiles(tmp)).to.have.length(2);
    });

    it("a syntax error names the file and the problem", () => {
        const file = path.join(tmp, "broken.ts");
        expect(() => compile(file, "export const x = ;\n", tmp)).to.throw(
            SyntaxError,
            /TypeScript could not transpile .*broken\.ts[\s\S]*Expression expected/,
        );
    });

    it("a process started with `node -r tsRegister.cjs` runs a .ts file, and its stack trace names the .ts lines", () => {
        const file = path.join(tmp, "throws.ts");
        fs.writeFileSync(
            file,
            [
                "interface A {",
                "    x: number;",
                "}",
                "const a: A = { x: 1 };",
                'throw new Error("boom " + a.x);',
                "",
            ].join("\n"),
        );
        let stderr = "";
        try {
            execFileSync(process.execPath, ["-r", HOOK, file], {
                stdio: "pipe",
                env: { ...process.env, TS_TRANSPILE_CACHE_DIR: tmp },
            });
        } catch (e) {
            stderr = String((e as { stderr: Buffer }).stderr);
        }
        expect(stderr).to.include("Error: boom 1");
        expect(stderr).to.include(`${file}:5:7`);
    });
});
