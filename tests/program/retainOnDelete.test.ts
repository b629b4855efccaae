// What outlives the stack (issue 18, item 2): the artifact bucket, its four settings, and the development (artifact)
// key with its alias carry `retainOnDelete`, so `destroy`, `artifactBucket.create: false` or `kms.enabled: false`
// drop them from state and leave them in AWS. Nothing else is retained: the role, its policy, the hosting key, the
// models and their pointers are still deleted with the stack.
// Resource options are not in MockResourceArgs; the mock runner reads them off the RegisterResourceRequest, which is
// what the engine receives.

import { expect } from "chai";
import { contractConfig, runProgram, type ContractConfig, type ProgramRun } from "../helpers/programHarness";

async function run(config: ContractConfig): Promise<ProgramRun> {
    const result = await runProgram(config);
    expect(result.error).to.equal(undefined);
    return result;
}

const label = (r: ProgramRun["resources"][number]) => `${r.type} (${r.providerName ?? "no provider"})`;

/** The resources registered with retainOnDelete true, as `type (provider)`, sorted. */
function retained(result: ProgramRun): string[] {
    return result.resources
        .filter((r) => r.options.retainOnDelete)
        .map(label)
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
        const result = await run(contractConfig("prod"));
        expect(retained(result)).to.deep.equal([...DEVELOPMENT_KEY, ...BUCKET_AND_SETTINGS].sort());

        // Role, policy, attachment, hosting key and alias, the shared bucket policy statements, the models and their
        // pointers are registered and not retained: they go with the stack as before.
        const otherTypes = new Set(result.resources.filter((r) => !r.options.retainOnDelete).map(label));
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
        expect(retained(await run(contractConfig("dev")))).to.deep.equal(BUCKET_AND_SETTINGS);
    });

    it("with a bucket the stack does not create and the research team's key, nothing is retained", async () => {
        const c = contractConfig("prod");
        c.modelDevelopment.artifactBucket = { name: "research-artifacts-111122223333", create: false };
        c.modelDevelopment.kms = {
            enabled: false,
            keyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        };
        const result = await run(c);
        expect(retained(result)).to.deep.equal([]);
        // The grant on the research key is this stack's own and goes with it.
        expect(result.resources.some((r) => r.type === "aws:kms/grant:Grant")).to.equal(true);
    });
});
