// The engine suite's program: the project's two dynamic resources registered the way the component registers them,
// from a stack config in the real contract shape, and nothing of @pulumi/aws (its plugin cannot be built here).
// In the component the execution role's ARN is an output of aws.iam.Role, unknown at the first preview; here the
// bucket statements' id stands in for it, so a preview of a new stack sees an unknown input as the real one does.
import * as pulumi from "@pulumi/pulumi";
import { BucketPolicyStatements, prefixedStatements, sidPrefixFor } from "../../../components/bucketPolicyStatements";
import { CONFIG_NAMESPACE, parseStackConfig } from "../../../components/config";
import { ImportedModel } from "../../../components/importedModel";
import { modelImportInputs } from "../../../components/modelInputs";
import { accessParams, bucketPolicy, executionRoleArn } from "../../../components/policies";
import { componentNameFor, defaultTags, ownerOf, parseOptionsFor } from "../../../components/providers";

const project = pulumi.getProject();
const stack = pulumi.getStack();
const raw = new pulumi.Config(CONFIG_NAMESPACE);
const config = parseStackConfig(
    {
        modelDevelopment: raw.getObject("modelDevelopment"),
        modelHosting: raw.getObject("modelHosting"),
        models: raw.getObject("models"),
        allKeys: Object.keys(pulumi.runtime.allConfig()).filter((key) => key.startsWith(`${CONFIG_NAMESPACE}:`)),
    },
    parseOptionsFor(project, stack),
);
// Test-only timing: the suite waits seconds, not the defaults' hours.
const timing = new pulumi.Config("engine-test");
const name = componentNameFor(stack);
const sidPrefix = sidPrefixFor(project, stack, name);
const params = accessParams(config);
const dev = config.modelDevelopment;

const statements = new BucketPolicyStatements(`${name}-artifacts-policy`, {
    accountId: dev.accountId,
    region: dev.region,
    ...(dev.profile ? { profile: dev.profile } : {}),
    ...(dev.assumeRoleArn ? { assumeRoleArn: dev.assumeRoleArn } : {}),
    bucket: dev.artifactBucket.name,
    sidPrefix,
    statements: prefixedStatements(bucketPolicy(params).Statement, sidPrefix),
});
const roleArn = statements.id.apply(() => executionRoleArn(params));

const models = config.models.map(
    (m, i) =>
        new ImportedModel(
            `${name}-${m.name}`,
            {
                ...modelImportInputs(config, i, { roleArn: "", defaultTags: defaultTags(project, stack), owner: ownerOf(project, stack) }),
                roleArn,
                timeoutMinutes: timing.getNumber("timeoutMinutes") ?? 1,
                pollIntervalSeconds: timing.getNumber("pollIntervalSeconds") ?? 0.05,
            },
            { dependsOn: [statements] },
        ),
);

export const sids = statements.statements.apply((list) => list.map((s) => s.Sid));
export const modelArns = models.map((m) => m.modelArn);
export const modelNames = models.map((m) => m.modelName);
