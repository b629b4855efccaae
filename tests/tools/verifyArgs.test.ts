// verify-access's command line, in-process: --stack is required (no default stack), usage and the known
// stacks are named, and a bad stack file is the program's ConfigError.

import { expect } from "chai";
import * as fs from "fs";
import { ConfigError } from "../../components/config/stackConfig";
import { UsageError } from "../../scripts/common/stackFile";
import { verifyArgs } from "../../scripts/verify/args";
import { derivedStack, SHIPPED_DEV, tempStackRoot } from "../helpers/stackFiles";

describe("verify-access arguments", () => {
    let root: string;
    before(() => {
        root = tempStackRoot({
            dev: SHIPPED_DEV,
            typo: derivedStack({
                text: (t) =>
                    t.replace(
                        "bedrock-cross-account-import:modelHosting:",
                        "bedrock-cross-account-import:modelhosting:",
                    ),
            }),
        });
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("without --stack: a UsageError naming the known stacks, even when a dev stack exists", () => {
        expect(() => verifyArgs([], root))
            .to.throw(UsageError, "--stack <name> is required")
            .with.property("message")
            .that.includes(`known stacks in ${root}: dev, typo`);
        expect(() => verifyArgs(["--model", "mistral-777788889999-01"], root)).to.throw(
            UsageError,
            "--stack <name> is required",
        );
    });

    it("unknown arguments are a UsageError; an unknown stack names the known ones", () => {
        expect(() => verifyArgs(["--stak", "dev"], root)).to.throw(UsageError, "unknown argument --stak");
        expect(() => verifyArgs(["--stack", "nope"], root))
            .to.throw("No stack file Pulumi.nope.yaml")
            .with.property("message")
            .that.includes("dev, typo");
    });

    it("a stack file with a mistyped key is the program's ConfigError with a did-you-mean", () => {
        // By name, not instanceof: the mock runner reloads the program's modules, so two ConfigError classes can exist.
        expect(() => verifyArgs(["--stack", "typo"], root))
            .to.throw()
            .that.satisfies((e: Error) => e.name === ConfigError.name)
            .and.has.property("message")
            .that.includes("did you mean bedrock-cross-account-import:modelHosting?");
    });

    it("--stack and --model are read; the config is the program's parse", () => {
        const args = verifyArgs(["--stack", "dev", "--model", "mistral-777788889999-01"], root);
        expect(args.stack).to.equal("dev");
        expect(args.model).to.equal("mistral-777788889999-01");
        expect(args.config.modelHosting.accountId).to.equal("777788889999");
    });
});
