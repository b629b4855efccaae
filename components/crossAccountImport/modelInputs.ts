// The inputs of each ImportedModel the program registers, from the validated config. Pure, so the property
// test can hold the config validator and the provider's `check` to the same inputs the program produces.

import { accountOf } from "../awsSdk/inputs";
import type { StackConfig } from "../config/stackConfig";
import type { ImportedModelArgValues } from "../dynamic/importedModel/fields";
import { AWS_OWNED_KEY, versionedModelName } from "../naming";
import { s3Uri } from "../rules";

/**
 * The ImportedModel inputs the program sets from the config (declared in dynamic/importedModel/fields.ts). `modelName`
 * is the config name plus the version of the import (versionedModelName, components/naming.ts); the config always gives
 * these three others.
 */
export interface ModelInputValues extends ImportedModelArgValues {
    baseName: string;
    configPath: string;
    tags: Record<string, string>;
}

/** What `modelImportInputs` needs that exists only once other resources do. */
export interface ResolvedModelInputs {
    roleArn: string;
    /** The stack's hosting key (required when `modelHosting.kms.enabled`): its ARN is part of the model's name. */
    hostingKeyArn?: string;
    defaultTags?: Record<string, string>;
    owner?: string;
}

/**
 * The Bedrock name of `config.models[index]`: its config name, versioned by the artifacts and the key (see
 * components/naming.ts). With the stack's hosting key, its ARN: a new key is a new name, re-imported new-first.
 */
export function modelImportName(config: StackConfig, index: number, hostingKeyArn: string | undefined): string {
    const m = config.models[index];
    if (config.modelHosting.kms.enabled && !hostingKeyArn) {
        throw new Error(
            `models[${index}] (${m.name}): the name of a model encrypted with the stack's hosting key needs the ` +
                `key's ARN (modelHosting.kms.enabled).`,
        );
    }
    const uri = s3Uri(config.modelDevelopment.artifactBucket.name, m.s3Prefix);
    return versionedModelName(m.name, {
        s3Uri: uri,
        modelKey: config.modelHosting.kms.enabled ? hostingKeyArn! : AWS_OWNED_KEY,
    });
}

/** Every input of the model but its name, which waits for the hosting key's ARN (`modelImportName`). */
export function modelImportInputsExceptName(
    config: StackConfig,
    index: number,
    resolved: ResolvedModelInputs,
): Omit<ModelInputValues, "modelName"> {
    const m = config.models[index];
    const uri = s3Uri(config.modelDevelopment.artifactBucket.name, m.s3Prefix);
    return {
        ...accountOf(config.modelHosting),
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

/** Inputs of the ImportedModel for `config.models[index]`; role and key ARNs are known once those exist. */
export function modelImportInputs(config: StackConfig, index: number, resolved: ResolvedModelInputs): ModelInputValues {
    return {
        ...modelImportInputsExceptName(config, index, resolved),
        modelName: modelImportName(config, index, resolved.hostingKeyArn),
    };
}
