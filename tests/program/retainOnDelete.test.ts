// What outlives the stack (issue 18, item 2): the artifact bucket, its four settings, and the development (artifact)
// key with its alias carry `retainOnDelete`, so `destroy`, `artifactBucket.create: false` or `kms.enabled: false`
// drop them from state and leave them in AWS. Nothing else is retained: the role, its policy, the hosting key, the
// models and their pointers are still deleted with the stack.
// Resource options are not in MockResourceArgs, and under mocks there is no root stack resource to hang a stack
// transformation on; so the test reads the option off the RegisterResourceRequest itself, which is what the engine
// receives.

import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { contractConfig, runProgram, type ContractConfig, type ProgramRun } from "../helpers/programHarness";

type RegisterRequest = { getType(): string; getName(): string; hasRetainondelete(): boolean; getRetainondelete(): boolean | undefined };
type Monitor = { registerResource(req: RegisterRequest, cb: (err: unknown, resp: unknown) => void): void };

/** Runs the program and returns, per `type::name`, the retainOnDelete each registration sent (undefined when unset). */
async function runWithRetain(config: ContractConfig): Promise<{ run: ProgramRun; retain: Map<string, boolean | undefined> }> {
    const retain = new Map<string, boolean | undefined>();
    const run = await runProgram(config, "test", () => {
        const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
        const original = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, cb) => {
            retain.set(`${req.getType()}::${req.getName()}`, req.hasRetainondelete() ? req.getRetainondelete() : undefined);
            original(req, cb);
        };
    });
    expect(run.error).to.equal(undefined);
    return { run, retain };
}

/** The resources registered with retainOnDelete true, as `type (provider)`, sorted. */
function retained(run: ProgramRun, retain: Map<string, boolean | undefined>): string[] {
    return run.resources
        .filter((r) => retain.get(`${r.type}::${r.name}`) === true)
        .map((r) => `${r.type} (${r.providerName ?? "no provider"})`)
        .sort();
}

const BUCKET_AND_SETTINGS = [
    "aws:s3/bucket:Bucket (model-development)",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls (model-development)",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock (model-development)",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration (model-development)",
    "aws:s3/bucketVersioning:BucketVersioning (model-development)",
];
const DEVELOPMENT_KEY = ["aws:kms/alias:Alias (model-development)", "aws:kms/key:Key (model-development)"];

describe("retainOnDelete: what outlives the stack", function () {
    this.timeout(30000);

    it("bucket, its four settings, the development key and its alias are retained; nothing else is", async () => {
        // The prod fixture creates its bucket and has keys on both sides.
        const { run, retain } = await runWithRetain(contractConfig("prod"));
        expect(retained(run, retain)).to.deep.equal([...DEVELOPMENT_KEY, ...BUCKET_AND_SETTINGS].sort());

        // Every other registration leaves the option unset: role, policy, attachment, hosting key and alias, the
        // shared bucket policy statements, the models and their pointers go with the stack as before.
        const others = run.resources.filter((r) => retain.get(`${r.type}::${r.name}`) !== true);
        expect(others.map((r) => retain.get(`${r.type}::${r.name}`)).filter((v) => v !== undefined)).to.deep.equal([]);
        const otherTypes = new Set(others.map((r) => `${r.type} (${r.providerName ?? "no provider"})`));
        for (const t of [
            "aws:iam/role:Role (model-hosting)",
            "aws:iam/policy:Policy (model-hosting)",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment (model-hosting)",
            "aws:kms/key:Key (model-hosting)",
            "aws:kms/alias:Alias (model-hosting)",
            "pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements (no provider)",
            "pulumi-nodejs:dynamic/bedrock:ImportedModel (no provider)",
        ]) {
            expect([...otherTypes], t).to.include(t);
        }
        expect(
            [...otherTypes].some((t) => t.startsWith("aws:ssm/parameter:Parameter")),
            "the model pointer is not retained",
        ).to.equal(true);
    });

    it("without a development key (dev fixture) only the bucket and its settings are retained", async () => {
        const { run, retain } = await runWithRetain(contractConfig("dev"));
        expect(retained(run, retain)).to.deep.equal(BUCKET_AND_SETTINGS);
    });

    it("with a bucket the stack does not create and the research team's key, nothing is retained", async () => {
        const c = contractConfig("prod");
        c.modelDevelopment.artifactBucket = { name: "research-artifacts-111122223333", create: false };
        c.modelDevelopment.kms = { enabled: false, keyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" };
        const { run, retain } = await runWithRetain(c);
        expect(retained(run, retain)).to.deep.equal([]);
        // The grant on the research key is this stack's own and goes with it.
        expect(run.resources.some((r) => r.type === "aws:kms/grant:Grant")).to.equal(true);
    });
});
