// The inputs of each ImportedModel the program registers, from the validated config. Pure, so the property
// test can hold the config validator and the provider's `check` to the same inputs the program produces.

import { accountOf } from "../awsAccount/inputs";
import type { AccountInputs } from "../awsAccount/types";
import type { StackConfig } from "../config";
import type { SmokeTestSettings } from "../providers/importedModel/smokeTest";
import { versionedModelName } from "./modelVersion";
import { s3Uri } from "../rules";

export interface ModelInputValues extends AccountInputs {
    /** The Bedrock name: the config name plus the version of the import (see modelVersion.ts). */
    modelName: string;
    /** The config name; a model imported under it before versions existed keeps that name until it is replaced. */
    baseName: string;
    configPath: string;
    roleArn: string;
    s3Uri: string;
    kmsKeyArn?: string;
    tags: Record<string, string>;
    owner?: string;
    smokeTest?: SmokeTestSettings;
    timeoutMinutes?: number;
}

/** Inputs of the ImportedModel for `config.models[index]`; role and key ARNs are known once those exist. */
export function modelImportInputs(
    config: StackConfig,
    index: number,
    resolved: { roleArn: string; hostingKeyArn?: string; defaultTags?: Record<string, string>; owner?: string },
): ModelInputValues {
    const m = config.models[index];
    const hosting = config.modelHosting;
    const uri = s3Uri(config.modelDevelopment.artifactBucket.name, m.s3Prefix);
    return {
        ...accountOf(config.modelHosting),
        modelName: versionedModelName(m.name, { s3Uri: uri, modelKey: hosting.kms.enabled ? "stack-hosting-key" : "aws-owned" }),
        baseName: m.name,
        configPath: `models[${index}]`,
        roleArn: resolved.roleArn,
        s3Uri: uri,
        ...(resolved.hostingKeyArn ? { kmsKeyArn: resolved.hostingKeyArn } : {}),
        // The model's own tags win over the program's defaults.
        tags: { ...(resolved.defaultTags ?? {}), ...m.tags },
        ...(resolved.owner ? { owner: resolved.owner } : {}),
        ...(m.smokeTest ? { smokeTest: m.smokeTest } : {}),
        ...(m.timeoutMinutes !== undefined ? { timeoutMinutes: m.timeoutMinutes } : {}),
    };
}
