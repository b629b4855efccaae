// The one error reader (components/awsSdk/errors.ts) on errors as the real SDK v3 clients build them from each
// protocol's wire format: the service's answer is served by a request handler, the SDK deserializes it as it would
// from AWS. IAM (query protocol) is where the exception name and the error code differ.

import { BedrockClient, GetImportedModelCommand } from "@aws-sdk/client-bedrock";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { GetBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { expect } from "chai";
import { Readable } from "stream";
import { describeError, errorName, isNotFound, isTransient } from "../../components/awsSdk/errors";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

/** Client config whose every request is answered with `status`, `headers` and `body`. */
function answering(status: number, headers: Record<string, string>, body: string) {
    return {
        region: "us-east-1",
        credentials,
        maxAttempts: 1,
        requestHandler: {
            handle: async () => ({
                response: { statusCode: status, headers, body: Readable.from([Buffer.from(body)]) },
            }),
        },
    };
}

async function thrown(send: () => Promise<unknown>): Promise<unknown> {
    try {
        await send();
    } catch (err) {
        return err;
    }
    throw new Error("expected the call to fail");
}

describe("AWS error reader", () => {
    it("reads IAM's error code (Code), not the SDK's exception class name", async () => {
        const xml =
            "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code>" +
            "<Message>The role with name missing cannot be " +
            "found.</Message></Error><RequestId>1</RequestId></ErrorResponse>";
        const iam = new IAMClient(answering(404, { "content-type": "text/xml" }, xml) as never);
        const err = await thrown(() => iam.send(new GetRoleCommand({ RoleName: "missing" })));
        // The two spellings the SDK gives: the name-first reading would answer "NoSuchEntityException".
        expect((err as Error).name).to.equal("NoSuchEntityException");
        expect(errorName(err)).to.equal("NoSuchEntity");
        expect(describeError(err)).to.equal("NoSuchEntity: The role with name missing cannot be found.");
    });

    it("reads STS's throttling code and classifies it as transient", async () => {
        const xml =
            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate " +
            "exceeded</Message></Error></ErrorResponse>";
        const sts = new STSClient(answering(400, { "content-type": "text/xml" }, xml) as never);
        const err = await thrown(() => sts.send(new GetCallerIdentityCommand({})));
        expect(errorName(err)).to.equal("Throttling");
        expect(isTransient(err)).to.equal(true);
    });

    it("reads JSON protocols (KMS, Bedrock) by name, and S3's XML code", async () => {
        const kms = new KMSClient(
            answering(
                400,
                { "content-type": "application/x-amz-json-1.1" },
                JSON.stringify({ __type: "NotFoundException", message: "Alias not found" }),
            ) as never,
        );
        expect(errorName(await thrown(() => kms.send(new DescribeKeyCommand({ KeyId: "alias/x" }))))).to.equal(
            "NotFoundException",
        );

        const bedrock = new BedrockClient(
            answering(
                404,
                { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" },
                JSON.stringify({ message: "no model" }),
            ) as never,
        );
        const notFound = await thrown(() => bedrock.send(new GetImportedModelCommand({ modelIdentifier: "m" })));
        expect(errorName(notFound)).to.equal("ResourceNotFoundException");
        expect(isNotFound(notFound)).to.equal(true);

        const s3 = new S3Client(
            answering(
                404,
                { "content-type": "application/xml" },
                "<Error><Code>NoSuchBucketPolicy</Code><Message>The bucket policy does not exist</Message></Error>",
            ) as never,
        );
        expect(errorName(await thrown(() => s3.send(new GetBucketPolicyCommand({ Bucket: "b" }))))).to.equal(
            "NoSuchBucketPolicy",
        );
    });

    it("reads Node's connection errors by their system code, as transient", () => {
        const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        expect(isTransient(reset)).to.equal(true);
        expect(describeError(reset)).to.equal("Error: socket hang up");
        expect(errorName({ code: "ETIMEDOUT" })).to.equal("ETIMEDOUT");
        expect(describeError("plain text")).to.equal("plain text");
    });
});
