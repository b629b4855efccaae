// What the provider stores in state and reads back from it: outputs from the job/model progress, the inputs
// from the outputs, and the identity that names the import jobs. Pure functions.

import type { GetImportedModelCommandOutput, GetModelImportJobCommandOutput } from "@aws-sdk/client-bedrock";
import * as naming from "./naming";
import type { ImportJobStatus, ImportedModelInputs, ImportedModelOutputs } from "./types";
import { compact } from "../../awsSdk/values";

function toIso(value: unknown): string | undefined {
    if (value instanceof Date) {
        return value.toISOString();
    }
    if (typeof value === "string" && value !== "") {
        return value;
    }
    if (typeof value === "number") {
        return new Date(value * 1000).toISOString();
    }
    return undefined;
}

/** The inputs as they were when the state was written (`kmsKeyArn` back to the user's spelling). */
export function inputsOfState(state: ImportedModelOutputs): ImportedModelInputs {
    return {
        accountId: state.accountId,
        region: state.region,
        profile: state.profile,
        assumeRoleArn: state.assumeRoleArn,
        modelName: state.modelName,
        baseName: state.baseName,
        smokeTest: state.smokeTest,
        roleArn: state.roleArn,
        s3Uri: state.s3Uri,
        kmsKeyArn: state.kmsKeyInput ?? state.kmsKeyArn,
        tags: state.tags,
        timeoutMinutes: state.timeoutMinutes,
        pollIntervalSeconds: state.pollIntervalSeconds,
        stackName: state.stackName,
        owner: state.owner,
        providerVersion: state.providerVersion,
        entryToken: state.entryToken,
    };
}

export interface Progress {
    jobName: string;
    attempt: number;
    jobArn?: string;
    job?: GetModelImportJobCommandOutput;
    model?: GetImportedModelCommandOutput;
    tags?: Record<string, string>;
}

export function outputsFrom(inputs: ImportedModelInputs, p: Progress): ImportedModelOutputs {
    const status: ImportJobStatus = p.model ? "Completed" : ((p.job?.status as ImportJobStatus | undefined) ?? "InProgress");
    return compact<ImportedModelOutputs>({
        accountId: inputs.accountId,
        region: inputs.region,
        profile: inputs.profile,
        assumeRoleArn: inputs.assumeRoleArn,
        // The live model's name: a model imported before names carried a version keeps its name.
        modelName: p.model?.modelName ?? inputs.modelName,
        baseName: inputs.baseName,
        smokeTest: inputs.smokeTest,
        roleArn: inputs.roleArn,
        s3Uri: inputs.s3Uri,
        // The service always reports the key ARN; keeping it (and the user's spelling separately)
        // is what lets diff ignore alias-vs-ARN spelling.
        kmsKeyArn: p.model?.modelKmsKeyArn ?? p.job?.importedModelKmsKeyArn ?? inputs.kmsKeyArn,
        kmsKeyInput: inputs.kmsKeyArn,
        tags: p.tags ?? inputs.tags,
        timeoutMinutes: inputs.timeoutMinutes,
        pollIntervalSeconds: inputs.pollIntervalSeconds,
        stackName: inputs.stackName,
        owner: inputs.owner,
        providerVersion: inputs.providerVersion,
        entryToken: inputs.entryToken,
        jobName: p.jobName,
        jobArn: p.jobArn ?? p.job?.jobArn ?? p.model?.jobArn,
        attempt: p.attempt,
        jobStatus: status,
        modelArn: p.model?.modelArn,
        modelArchitecture: p.model?.modelArchitecture,
        instructSupported: p.model?.instructSupported,
        creationTime: toIso(p.model?.creationTime ?? p.job?.creationTime),
    });
}

export function identityOf(inputs: ImportedModelInputs): naming.ImportIdentity {
    return {
        accountId: inputs.accountId,
        region: inputs.region,
        modelName: inputs.modelName,
        s3Uri: inputs.s3Uri,
        kmsKeyArn: inputs.kmsKeyArn || undefined,
        ...(inputs.owner ? { owner: inputs.owner } : {}),
    };
}
