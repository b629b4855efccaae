// The engine suite's program: the project's two dynamic resources registered the way the component registers them,
// from a stack config in the real contract shape, and nothing of @pulumi/aws (its plugin cannot be built here).
// In the component the execution role's ARN is an output of aws.iam.Role, unknown at the first preview; here the
// bucket statements' id stands in for it, so a preview of a new stack sees an unknown input as the real one does.
import * as pulumi from "@pulumi/pulumi";
import { accountOf } from "../../../components/awsSdk/inputs";
import { BucketPolicyStatements } from "../../../components/dynamic/bucketPolicyStatements";
import { CONFIG_NAMESPACE, parseStackConfig } from "../../../components/config/stackConfig";
import { ImportedModel } from "../../../components/dynamic/importedModel";
import { ImportSweeper, importJobPrefix } from "../../../components/dynamic/importSweeper";
import { modelImportInputs } from "../../../components/crossAccountImport/modelInputs";
import {
    deploymentOf,
    executionRoleArn,
    pointerParameterName,
    RESOURCE_BASE,
    resourceNames,
    stackNames,
} from "../../../components/naming";
import { legacyName } from "../../../components/crossAccountImport/legacyNames";
import { accessParams, bucketPolicy } from "../../../components/policies/statements";
import { prefixedStatements } from "../../../components/policies/document";
import { parseOptionsFor } from "../../../components/config/providerArgs";
import { keepSecret, secretConfigValues, secretInputs } from "../../../components/config/secretConfig";
import { invokeExample } from "../../../components/crossAccountImport/appOutputs";

const raw = new pulumi.Config(CONFIG_NAMESPACE);
const values = {
    modelDevelopment: raw.getObject("modelDevelopment"),
    modelHosting: raw.getObject("modelHosting"),
    models: raw.getObject("models"),
};
// As index.ts: values set with --secret are marked secret again in every input and output that carries them.
const secrets = secretConfigValues(CONFIG_NAMESPACE, values);
const config = parseStackConfig(
    {
        ...values,
        allKeys: Object.keys(pulumi.runtime.allConfig()).filter((key) => key.startsWith(`${CONFIG_NAMESPACE}:`)),
    },
    parseOptionsFor(pulumi.getProject(), pulumi.getStack()),
);
// Test-only timing: the suite waits seconds, not the defaults' hours.
const timing = new pulumi.Config("engine-test");
// `engine-test:legacyNames`: the release before (migration scenario): owner and Sid prefix without the deployment, and
// logical names that embed the stack. Otherwise today's names, with the aliases the program gives its resources.
const legacy = timing.getBoolean("legacyNames") === true;
const names = stackNames(pulumi.getProject(), pulumi.getStack(), legacy ? undefined : deploymentOf(config));
const base = legacy ? names.component : RESOURCE_BASE;
const r = resourceNames(base);
const optionsFor = (name: string): pulumi.CustomResourceOptions => ({
    transformations: [secretInputs(secrets)],
    ...(legacy ? {} : { aliases: [{ name: legacyName(name, base, names.component)! }] }),
});
const params = accessParams(config);

const statements = new BucketPolicyStatements(
    r.bucketPolicy,
    {
        ...accountOf(config.modelDevelopment),
        bucket: config.modelDevelopment.artifactBucket.name,
        sidPrefix: names.sidPrefix,
        statements: prefixedStatements(bucketPolicy(params).Statement, names.sidPrefix),
    },
    optionsFor(r.bucketPolicy),
);
const roleArn = statements.id.apply(() => executionRoleArn(params));

const sweeper = new ImportSweeper(
    r.importSweeper,
    {
        ...accountOf(config.modelHosting),
        owner: names.owner,
        jobPrefixes: config.models.map((_, i) =>
            importJobPrefix(modelImportInputs(config, i, { roleArn: "", owner: names.owner })),
        ),
        timeoutMinutes: timing.getNumber("timeoutMinutes") ?? 1,
        pollIntervalSeconds: timing.getNumber("pollIntervalSeconds") ?? 0.05,
    },
    optionsFor(r.importSweeper),
);

const models = config.models.map(
    (m, i) =>
        new ImportedModel(
            r.model(m.name),
            {
                ...modelImportInputs(config, i, { roleArn: "", defaultTags: names.defaultTags, owner: names.owner }),
                roleArn,
                stackName: names.stack,
                timeoutMinutes: timing.getNumber("timeoutMinutes") ?? 1,
                pollIntervalSeconds: timing.getNumber("pollIntervalSeconds") ?? 0.05,
            },
            { dependsOn: [statements, sweeper], ...optionsFor(r.model(m.name)) },
        ),
);

export const sids = keepSecret(
    statements.statements.apply((list) => list.map((s) => s.Sid)),
    secrets,
);
export const modelArns = keepSecret(
    models.map((m) => m.modelArn),
    secrets,
);
export const modelNames = keepSecret(
    models.map((m) => m.modelName),
    secrets,
);
/** As index.ts's `models[].invokeExample`: it names the hosting account's profile or role. */
export const invokeExamples = keepSecret(
    config.models.map((m) => invokeExample(config, pointerParameterName(names.stack, m.name))),
    secrets,
);
