// verify-access never prints "✔ must be denied" for a document it did not read: rows over a document it could not or
// did not ask for are not judged, and must-deny rows over a document that does not exist are not shown as passed (an
// absent document denies everything, which proves nothing). The research-key grant check is listed even when skipped.

import { expect } from "chai";
import { parseStackConfig, type StackConfig } from "../../components/config/stackConfig";
import { formatResults } from "../../scripts/verify/format";
import { runVerification } from "../../scripts/verify/run";
import type { CheckResult } from "../../scripts/verify/types";
import { deployStack, type AwsStub } from "../fakes/awsStub";
import { startStubSession, type StubSession } from "../helpers/stubSession";
import { hfLayout } from "../fakes/hfLayout";

const DEV = "111122223333";
const HOST = "777788889999";
const RESEARCH_KEY = `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function config(devProfile: string): StackConfig {
    return parseStackConfig({
        modelDevelopment: {
            accountId: DEV,
            region: "us-east-1",
            profile: devProfile,
            artifactBucket: { name: `model-artifacts-${DEV}`, create: false },
            kms: { keyArn: RESEARCH_KEY },
        },
        modelHosting: {
            accountId: HOST,
            region: "us-east-1",
            profile: "host",
            executionRoleName: "BedrockCMIExecutionRole-dev",
        },
        models: [{ name: "mistral-dev-01", s3Prefix: "mistral-model-weights/" }],
    });
}

const mustDenyPassed = (results: readonly CheckResult[]) =>
    results.filter((r) => r.ok && !r.skipped && r.title.startsWith("must be denied"));

describe("verify-access: no verdict on documents it never read", function () {
    this.timeout(20000);
    let session: StubSession;
    let stub: AwsStub;
    beforeEach(async () => {
        // "dev-wrong" holds hosting-account keys: the development identity check fails.
        session = await startStubSession({
            dev: "AKIADEVELOPMENT00001",
            "dev-wrong": "AKIAHOSTING000000001",
            host: "AKIAHOSTING000000001",
        });
        stub = session.stub;
    });
    afterEach(() => session.stop());

    it(
        "development credentials of the wrong account: no research-key row is judged, and the grant check is listed " +
            "as skipped",
        async () => {
            const good = config("dev");
            deployStack(stub, good, "dev", { "mistral-dev-01": hfLayout() });
            const results = await runVerification(config("dev-wrong"), { stack: "dev", maxAttempts: 1 });
            expect(results.filter((r) => !r.ok).map((r) => r.id)).to.deep.equal(["identity.development"]);
            expect(results.filter((r) => r.id.startsWith("access.kms.development"))).to.deep.equal([]);
            expect(mustDenyPassed(results).filter((r) => r.id.includes("kms.development"))).to.deep.equal([]);
            const grant = results.find((r) => r.id === "deployed.developmentKeyGrant");
            expect(grant, formatResults(results)).to.include({ skipped: true });
            expect(grant!.title).to.include(RESEARCH_KEY);
            expect(results.find((r) => r.id === "access")?.detail).to.include("development key policy");
        },
    );

    it(
        "a bucket policy that does not exist: the must-deny rows over it are not shown as ✔, and the skip line says " +
            "why",
        async () => {
            const c = config("dev");
            const d = deployStack(stub, c, "dev", { "mistral-dev-01": hfLayout() });
            d.bucket.policy = undefined;
            const results = await runVerification(c, { stack: "dev", maxAttempts: 1 });
            expect(results.find((r) => r.id === "deployed.bucketPolicy")?.ok).to.equal(false);
            // The role's reads fail, as they would for Bedrock.
            expect(results.find((r) => r.id === "access.s3.list-bucket")?.ok).to.equal(false);
            const overBucket = mustDenyPassed(results).filter((r) =>
                [
                    "access.s3.write",
                    "access.s3.delete",
                    "access.s3.read-outside-prefixes",
                    "access.s3.insecure-transport",
                    "access.s3.other-hosting-role",
                ].includes(r.id),
            );
            expect(overBucket.map((r) => r.id)).to.deep.equal([]);
            const skipped = results.find((r) => r.id === "access");
            expect(skipped?.detail).to.include("must-deny checks not judged: the bucket policy does not exist");
            expect(formatResults(results)).not.to.match(
                /✔ must be denied: The execution role cannot write model artifacts/,
            );
        },
    );
});
