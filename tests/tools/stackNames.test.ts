// `--stack` as Pulumi takes it: <stack>, <org>/<stack> or <org>/<project>/<stack>, all reading Pulumi.<stack>.yaml;
// stack names with dots are stacks like any other.

import { expect } from "chai";
import * as fs from "fs";
import { planMain } from "../../scripts/plan/cli";
import { knownStacks, UsageError } from "../../scripts/common/stackFile";
import { verifyArgs } from "../../scripts/verify/args";
import { derivedStack, tempStackRoot } from "../helpers/stackFiles";

async function plan(root: string, argv: string[]): Promise<{ code: number; out: string }> {
    let out = "";
    const code = await planMain(argv, { stdout: (t) => (out += t), stderr: (t) => (out += t) }, { root });
    return { code, out };
}

describe("stack names in --stack and in the folder", function () {
    this.timeout(20000);
    let root: string;
    before(() => {
        root = tempStackRoot({ dev: derivedStack({}), "qa.eu-1": derivedStack({}) });
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("stacks with a dot in the name are known", () => {
        expect(knownStacks(root)).to.deep.equal(["dev", "qa.eu-1"]);
    });

    it("--stack org/dev and org/bedrock-cross-account-import/dev read Pulumi.dev.yaml and plan stack dev", async () => {
        for (const stack of ["acme/dev", "acme/bedrock-cross-account-import/dev"]) {
            const { code, out } = await plan(root, ["--stack", stack]);
            expect(code, out.slice(0, 500)).to.equal(0);
            expect(out).to.include('Plan for stack "dev"');
        }
        expect(verifyArgs(["--stack", "acme/dev"], root).stack).to.equal("dev");
    });

    it("a missing stack names the file it looked for, and the known stacks", async () => {
        const { code, out } = await plan(root, ["--stack", "acme/staging"]);
        expect(code).to.equal(2);
        expect(out)
            .to.include("No stack file Pulumi.staging.yaml")
            .and.include("for --stack acme/staging")
            .and.include("known stacks in");
        expect(out).to.include("dev, qa.eu-1");
        expect(out).not.to.include("Pulumi.acme/staging.yaml");
    });

    it("a project other than this folder's, or a malformed name, is a usage error", async () => {
        expect(() => verifyArgs(["--stack", "acme/other-project/dev"], root)).to.throw(
            UsageError,
            'names project "other-project"',
        );
        const { code, out } = await plan(root, ["--stack", "a/b/c/d"]);
        expect(code).to.equal(2);
        expect(out).to.include("is not a stack name");
    });

    it("a stack with a dot in its name plans", async () => {
        const { code, out } = await plan(root, ["--stack", "qa.eu-1"]);
        expect(code, out.slice(0, 500)).to.equal(0);
        expect(out).to.include('Plan for stack "qa.eu-1"');
    });
});
