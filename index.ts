// Reads the stack config, builds one explicit AWS provider per account and instantiates the component.
// Validation runs first and synchronously: a bad config throws before any provider or resource exists.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, parseStackConfig } from "./components/config/stackConfig";
import { CrossAccountModelImport } from "./components/crossAccountImport/crossAccountModelImport";
import { deploymentOf, RESOURCE_BASE, stackNames } from "./components/naming";
import { legacyNameAliases } from "./components/crossAccountImport/legacyNames";
import { parseOptionsFor, providerArgs } from "./components/config/providerArgs";
import { keepSecret, secretConfigValues, secretInputs } from "./components/config/secretConfig";

function readObject(config: pulumi.Config, key: string): unknown {
    const text = config.get(key);
    if (text === undefined) return undefined;
    try {
        return JSON.parse(text);
    } catch {
        // A scalar where an object belongs; the validator reports it with the key.
        return text;
    }
}

const rawConfig = new pulumi.Config(CONFIG_NAMESPACE);
const raw = {
    modelDevelopment: readObject(rawConfig, "modelDevelopment"),
    modelHosting: readObject(rawConfig, "modelHosting"),
    models: readObject(rawConfig, "models"),
};
// The values set with `pulumi config set --secret`: read above as plain JSON, so marked secret again wherever they go.
const secrets = secretConfigValues(CONFIG_NAMESPACE, raw);
const config = parseStackConfig(
    { ...raw, allKeys: Object.keys(pulumi.runtime.allConfig()) },
    // The default tags reach the imported models too and count against Bedrock's 50.
    parseOptionsFor(pulumi.getProject(), pulumi.getStack()),
);

/**
 * The Pulumi organization, when the engine names one (older CLIs and mocks without an organization do not: it throws).
 */
function organization(): string | undefined {
    try {
        return pulumi.getOrganization();
    } catch {
        return undefined;
    }
}

// Every name and tag derives from the project, the stack and where it deploys, here and only here; the component takes
// them as arguments. The hosting account and the organization tell two same-named stacks apart.
const names = stackNames(pulumi.getProject(), pulumi.getStack(), deploymentOf(config, organization()));

// A provider's inputs (profile, assumeRoleArn, allowed account) may carry a secret too.
const providerOptions = { transformations: [secretInputs(secrets)] };
const developmentProvider = new aws.Provider(
    "model-development",
    providerArgs(config.modelDevelopment, names),
    providerOptions,
);
const hostingProvider = new aws.Provider("model-hosting", providerArgs(config.modelHosting, names), providerOptions);

// Logical names do not name the stack; aliases carry stacks deployed under the earlier, stack-named ones over in place.
const cmi = new CrossAccountModelImport(
    RESOURCE_BASE,
    {
        modelDevelopment: config.modelDevelopment,
        modelHosting: config.modelHosting,
        models: config.models,
        names,
        developmentProvider,
        hostingProvider,
    },
    // The transformation applies to the component itself too
    // (https://www.pulumi.com/docs/iac/concepts/options/transformations/).
    { transformations: [legacyNameAliases(RESOURCE_BASE, names.component), secretInputs(secrets)] },
);

// A stack output that carries a secret value is a secret output (shown as [secret], ciphertext in state).
export const developmentAccountId = keepSecret(config.modelDevelopment.accountId, secrets);
export const hostingAccountId = keepSecret(config.modelHosting.accountId, secrets);
export const hostingRegion = keepSecret(config.modelHosting.region, secrets);
export const bucketName = keepSecret(cmi.bucketName, secrets);
export const bucketArn = keepSecret(cmi.bucketArn, secrets);
export const executionRoleArn = keepSecret(cmi.executionRoleArn, secrets);
export const executionRoleName = keepSecret(cmi.executionRoleName, secrets);
export const executionPolicyArn = keepSecret(cmi.executionPolicyArn, secrets);
export const developmentKeyArn = keepSecret(cmi.developmentKeyArn, secrets);
export const hostingKeyArn = keepSecret(cmi.hostingKeyArn, secrets);
export const models = keepSecret(cmi.models, secrets);
/** The models by config name (modelArn, pointerParameterName, region), for apps and StackReferences. */
export const modelsByName = keepSecret(cmi.modelsByName, secrets);
/**
 * The identity policy of an app that invokes the models: read the pointers, invoke the models (and decrypt, with a
 * hosting key).
 */
export const invokerPolicy = keepSecret(cmi.invokerPolicy, secrets);
