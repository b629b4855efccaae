// What `npm run plan` reads is what the real engine gives the program. The stack file is written by the Pulumi CLI
// itself (`pulumi config set --path` stores the account id as a YAML integer, `--secret --path` a secure: value), and
// the development account comes from Pulumi.yaml's project config. The plan accepts the files, shows the secret as
// [secret] and reports the merged values; `pulumi preview` with the same files runs the program's own validator (the
// engine program parses the config with components/config, as index.ts does) and succeeds.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { planMain } from "../../scripts/plan/cli";
import { CliWrittenStack, findPulumi, Moto } from "./harness";

const NS = "bedrock-cross-account-import";

describe("the real Pulumi engine: plan reads the config the CLI writes and hands the program", function () {
    this.timeout(300_000);
    const moto = new Moto();
    let stack: CliWrittenStack;

    before(async () => moto.start());
    after(() => moto.stop());
    beforeEach(async () => {
        stack = new CliWrittenStack(moto, findPulumi());
        await stack.start();
    });
    afterEach(async () => stack.stop());

    it(
        "project config, an account id set with --path (a YAML integer) and a --secret --path value: plan exit 0, " +
            "preview exit 0",
        async () => {
            stack.writeConfig();
            const set = async (...args: string[]) => {
                const out = await stack.cli(["config", "set", ...args]);
                expect(out.code, out.output).to.equal(0);
            };
            // As a user sets it on a new stack: the key is new (an existing string value would keep its type).
            const rm = await stack.cli(["config", "rm", "--path", `${NS}:modelHosting.accountId`]);
            expect(rm.code, rm.output).to.equal(0);
            await set("--path", `${NS}:modelHosting.accountId`, "777788889999");
            await set("--secret", "--path", `${NS}:models[0].tags.team`, "hosting");
            stack.frozen = true;

            // What the CLI wrote: an unquoted integer and a secure: value.
            const file = path.join(stack.programDir, `Pulumi.${stack.stack}.yaml`);
            const text = fs.readFileSync(file, "utf8");
            expect(text, text).to.match(/accountId: 777788889999\n/);
            expect(text).to.match(/team:\n\s+secure: v1:/);

            // The research account moves to the project config of Pulumi.yaml, shared by every stack.
            const doc = parse(text) as { config: Record<string, unknown> };
            const development = doc.config[`${NS}:modelDevelopment`];
            delete doc.config[`${NS}:modelDevelopment`];
            fs.writeFileSync(file, stringify(doc));
            const projectFile = path.join(stack.programDir, "Pulumi.yaml");
            const project = parse(fs.readFileSync(projectFile, "utf8")) as Record<string, unknown>;
            fs.writeFileSync(
                projectFile,
                stringify({ ...project, config: { modelDevelopment: { value: development } } }),
            );

            let stdout = "";
            let stderr = "";
            const code = await planMain(
                ["--stack", stack.stack],
                { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
                { root: stack.programDir },
            );
            expect(code, stderr).to.equal(0);
            expect(stdout).to.include("with modelDevelopment from Pulumi.yaml (project config)");
            expect(stdout).to.include("Secret values (secure:), shown as [secret]: models[0].tags.team");
            expect(stdout).to.include("Model hosting account 777788889999");

            const preview = await stack.preview();
            expect(preview.code, preview.output).to.equal(0);
            expect(preview.output).not.to.include("Invalid stack config");
        },
    );
});
