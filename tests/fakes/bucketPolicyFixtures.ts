// Shared fixtures of the bucket-policy tests: the research team's existing policy, two stacks' statements built
// by the program's own builder, and the provider inputs for a stack.

import type { BucketPolicyStatementsInputs } from "../../components/dynamic/bucketPolicyStatements";
import {
    prefixedStatements,
    type PolicyDocument,
    type OwnStatement as IamStatement,
} from "../../components/policies/document";
import { bucketPolicy, type AccessParams } from "../../components/policies/statements";
import { PROJECT, stackNames } from "../../components/naming";

export const DEV = "111122223333";
export const BUCKET = "model-artifacts-111122223333";
export const DEV_KEY = "AKIADEVELOPMENT00001";
export const HOSTING_KEY = "AKIAHOSTING000000001";

/** The research team's own policy: Version, Id, three statements (one without Sid), in an order that must survive. */
export function researchPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Id: "ResearchTeamArtifacts",
        Statement: [
            {
                Sid: "ResearchTeamReadWrite",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${DEV}:role/Researcher` },
                Action: ["s3:GetObject", "s3:PutObject"],
                Resource: `arn:aws:s3:::${BUCKET}/*`,
            },
            {
                Sid: "DenyDeletingWeights",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:DeleteObject",
                Resource: `arn:aws:s3:::${BUCKET}/weights/*`,
                Condition: { StringNotEquals: { "aws:PrincipalArn": `arn:aws:iam::${DEV}:role/Admin` } },
            },
            {
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::444455556666:root" },
                Action: "s3:ListBucket",
                Resource: `arn:aws:s3:::${BUCKET}`,
            },
        ],
    };
}

export interface StackFixture {
    name: string;
    sidPrefix: string;
    params: AccessParams;
}

export function stackFixture(
    stack: string,
    hostingAccountId: string,
    modelPrefixes: string[] = ["mistral-model-weights/"],
): StackFixture {
    return {
        name: stack,
        sidPrefix: stackNames(PROJECT, stack, { hostingAccountId }).sidPrefix,
        params: {
            partition: "aws",
            developmentAccountId: DEV,
            hostingAccountId,
            hostingRegion: "us-east-1",
            bucketName: BUCKET,
            modelPrefixes,
            executionRoleName: `BedrockCMIExecutionRole-${stack}`,
            invokers: [],
        },
    };
}

export function statementsOf(stack: StackFixture, modelPrefixes?: string[]): IamStatement[] {
    const params = modelPrefixes ? { ...stack.params, modelPrefixes } : stack.params;
    return prefixedStatements(bucketPolicy(params).Statement, stack.sidPrefix);
}

export function inputsOf(
    stack: StackFixture,
    overrides: Partial<BucketPolicyStatementsInputs> = {},
): BucketPolicyStatementsInputs {
    return {
        accountId: DEV,
        region: "us-east-1",
        bucket: BUCKET,
        sidPrefix: stack.sidPrefix,
        statements: statementsOf(stack),
        providerVersion: "test-version",
        ...overrides,
    };
}
