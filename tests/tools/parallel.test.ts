// scripts/parallel.mjs, which runs `npm test`'s type check, linters and mocha side by side: each command's output is
// printed whole, then what each took, and the exit code is 1 when any command failed.

import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/common/stackFile";

function parallel(...commands: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "parallel.mjs"), ...commands], {
        encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("scripts/parallel.mjs (npm test)", () => {
    it("prints each command's output whole, then the wall and CPU seconds of each; exit 0 when all pass", () => {
        const { code, stdout } = parallel("echo one; sleep 0.2; echo two", "echo three");
        expect(code).to.equal(0);
        expect(stdout).to.include("$ echo one; sleep 0.2; echo two\none\ntwo\n");
        expect(stdout).to.include("$ echo three\nthree\n");
        expect(stdout).to.match(/^\s+0\.[2-9] s, \d+\.\d s CPU {2}echo one; sleep 0\.2; echo two$/m);
        expect(stdout).to.match(/^\s+\d+\.\d s in all$/m);
    });

    it("exit 1 when one command fails, naming it, after the others have run", () => {
        const { code, stdout, stderr } = parallel("echo ok", "echo broken >&2; false");
        expect(code).to.equal(1);
        expect(stdout).to.include("$ echo ok\nok\n");
        expect(stdout).to.include("broken");
        expect(stdout).to.match(/echo broken >&2; false {2}\(failed, exit 1\)$/m);
        expect(stderr).to.include("failed (exit 1): echo broken >&2; false");
    });
});
