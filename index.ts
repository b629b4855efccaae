// Reads the stack config, builds one explicit AWS provider per account and instantiates the component.
// Validation runs first and synchronously: a bad config throws before any provider or resource exists.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, parseStackConfig } from "./components/config";
import { CrossAccountModelImport } from "./components/crossAccountModelImport";
import { componentNameFor, defaultTags, ownerOf, parseOptionsFor, providerArgs } from "./components/providers";

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

const stack = pulumi.getStack();
const tags = defaultTags(pulumi.getProject(), stack);
const rawConfig = new pulumi.Config(CONFIG_NAMESPACE);
const config = parseStackConfig(
    {
        modelDevelopment: readObject(rawConfig, "modelDevelopment"),
        modelHosting: readObject(rawConfig, "modelHosting"),
        models: readObject(rawConfig, "models"),
        allKeys: Object.keys(pulumi.runtime.allConfig()),
    },
    // The default tags reach the imported models too and count against Bedrock's 50.
    parseOptionsFor(pulumi.getProject(), stack),
);

const developmentProvider = new aws.Provider("model-development", providerArgs(config.modelDevelopment, tags, stack));
const hostingProvider = new aws.Provider("model-hosting", providerArgs(config.modelHosting, tags, stack));

const cmi = new CrossAccountModelImport(componentNameFor(stack), {
    config,
    developmentProvider,
    hostingProvider,
    defaultTags: tags,
    owner: ownerOf(pulumi.getProject(), stack),
    stackName: stack,
});

export const developmentAccountId = config.modelDevelopment.accountId;
export const hostingAccountId = config.modelHosting.accountId;
export const hostingRegion = config.modelHosting.region;
export const bucketName = cmi.bucketName;
export const bucketArn = cmi.bucketArn;
export const executionRoleArn = cmi.executionRoleArn;
export const executionRoleName = cmi.executionRoleName;
export const executionPolicyArn = cmi.executionPolicyArn;
export const developmentKeyArn = cmi.developmentKeyArn;
export const hostingKeyArn = cmi.hostingKeyArn;
export const models = cmi.models;
