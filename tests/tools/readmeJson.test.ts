// The README's --json command, run exactly as written: stdout is one JSON document (npm's "> pkg@version plan" banner
// would come first without --silent).

import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/common/stackFile";
import { EXAMPLES_ROOT } from "../helpers/programHarness";

/** The README's command line that asks the plan for JSON (in a code block, without its trailing comment). */
function readmeJsonCommand(): string {
    const lines = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8").split("\n");
    const found = lines.filter((l) => /^npm run .*plan .*--json/.test(l)).map((l) => l.replace(/\s+#.*$/, "").trim());
    expect(found, "a README line running the plan with --json").to.have.length.greaterThan(0);
    return found[0];
}

describe("README: the --json command prints one JSON document on stdout", function () {
    this.timeout(60000);

    it("runs as written and its whole stdout parses as the plan", async () => {
        const command = readmeJsonCommand();
        const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
            execFile(
                "sh",
                ["-c", command],
                // Run in a project folder holding copies of the shipped example stacks: npm runs the script at the
                // package root and keeps the folder in INIT_CWD, from which the plan finds Pulumi.yaml and the stack
                // files, as Pulumi does.
                {
                    cwd: EXAMPLES_ROOT,
                    env: { ...process.env, AWS_PROFILE: "", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
                },
                (err, out) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: out }),
            );
        });
        expect(code, stdout.slice(0, 500)).to.equal(0);
        const plan = JSON.parse(stdout) as { stack: string; ok: boolean };
        expect(plan).to.include({ stack: "dev", ok: true });
    });
});
