// The verify-access command as a user runs it: a child process started in a project folder (the copies of the shipped
// example stacks, tests/fixtures/examples) reading its Pulumi.dev.yaml, with the stack's profiles (model-development,
// model-hosting-dev) from a temporary shared-credentials file, against the stub.

import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadStack, REPO_ROOT } from "../../scripts/common/stackFile";
import { EXAMPLES_ROOT } from "../helpers/programHarness";
import { AwsStub, credentialsFile, deployStack } from "../fakes/awsStub";
import { hfLayout } from "../fakes/hfLayout";

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

// Asynchronous on purpose: the stub answers from this process's event loop while the child runs.
function verifyAccess(args: string[], env: Record<string, string>): Promise<Run> {
    return new Promise((resolve, reject) => {
        // Started in the project folder, as Pulumi commands are: the stack files are read from there.
        const child = spawn(
            process.execPath,
            [
                "-r",
                path.join(REPO_ROOT, "scripts", "common", "tsRegister.cjs"),
                path.join(REPO_ROOT, "scripts", "verifyAccess.ts"),
                ...args,
            ],
            {
                cwd: EXAMPLES_ROOT,
                env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...env },
            },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

describe("npm run verify-access (child process)", function () {
    this.timeout(30000);
    let stub: AwsStub;
    let tmp: string;
    let env: Record<string, string>;

    beforeEach(async () => {
        stub = new AwsStub();
        const url = await stub.start();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "verify-access-cli-"));
        fs.writeFileSync(
            path.join(tmp, "credentials"),
            credentialsFile({
                "model-development": "AKIADEVELOPMENT00001",
                "model-hosting-dev": "AKIAHOSTING000000001",
            }),
        );
        fs.writeFileSync(path.join(tmp, "config"), "");
        env = {
            AWS_ENDPOINT_URL_S3: url,
            AWS_ENDPOINT_URL_STS: url,
            AWS_ENDPOINT_URL_IAM: url,
            AWS_ENDPOINT_URL_KMS: url,
            AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, "credentials"),
            AWS_CONFIG_FILE: path.join(tmp, "config"),
            AWS_REGION: "us-east-1",
            AWS_EC2_METADATA_DISABLED: "true",
        };
    });

    afterEach(async () => {
        await stub.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("dev stack deployed correctly: ✔ lines and exit 0", async () => {
        const config = loadStack("dev", EXAMPLES_ROOT);
        deployStack(stub, config, "dev", Object.fromEntries(config.models.map((m) => [m.name, hfLayout()])));
        const run = await verifyAccess(["--stack", "dev"], env);
        expect(run.stdout, run.stderr).to.contain("All ");
        expect(run.stdout).to.match(
            /^✔ Credentials for the model hosting account \(777788889999\) via profile "model-hosting-dev"/m,
        );
        expect(run.stdout).not.to.contain("✘");
        expect(run.code).to.equal(0);
    });

    it("a failing check: ✘ with the fix and exit 1", async () => {
        const config = loadStack("dev", EXAMPLES_ROOT);
        const d = deployStack(
            stub,
            config,
            "dev",
            Object.fromEntries(config.models.map((m) => [m.name, hfLayout({ omit: ["config.json"] })])),
        );
        delete d.bucket.policy;
        const run = await verifyAccess(["--stack", "dev", "--model", config.models[0].name], env);
        expect(run.stdout).to.match(/^✘ Bucket policy of s3:\/\//m);
        expect(run.stdout).to.contain("fix: Run pulumi up to restore the bucket policy.");
        expect(run.stdout).to.match(/checks FAILED.*: .*deployed\.bucketPolicy/);
        expect(run.code).to.equal(1);
    });

    it("bad arguments, an unknown stack or an unknown model exit 2 with a message", async function () {
        // Four child processes, each loading the command (scripts/common/tsRegister.cjs, as `npm run verify-access`
        // does).
        this.timeout(90_000);
        let run = await verifyAccess([], env);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.contain("--stack <name> is required");
        run = await verifyAccess(["--stack", "no-such-stack"], env);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.contain("No stack file Pulumi.no-such-stack.yaml");
        const config = loadStack("dev", EXAMPLES_ROOT);
        deployStack(stub, config, "dev", {});
        run = await verifyAccess(["--stack", "dev", "--model", "nope"], env);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.contain(
            `Unknown model "nope"; the stack configures: ${config.models.map((m) => m.name).join(", ")}`,
        );
    });
});
