// What the provider stores in state and reads back from it: outputs from the job/model progress, the inputs
// from the outputs (which inputs state keeps: fields.ts), and the identity that names the import jobs. Pure functions.

import type { GetImportedModelCommandOutput, GetModelImportJobCommandOutput } from "@aws-sdk/client-bedrock";
import * as naming from "./naming";
import { compact } from "../../awsSdk/values";
import { pick } from "../fields";
import { STORED_INPUT_KEYS, type ImportJobStatus, type ImportedModelInputs, type ImportedModelOutputs } from "./fields";

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
    return { ...pick(state, STORED_INPUT_KEYS), kmsKeyArn: state.kmsKeyInput ?? state.kmsKeyArn };
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
    const status: ImportJobStatus = p.model
        ? "Completed"
        : ((p.job?.status as ImportJobStatus | undefined) ?? "InProgress");
    return compact<ImportedModelOutputs>({
        ...pick(inputs, STORED_INPUT_KEYS),
        // The live model's name: a model imported before names carried a version keeps its name.
        modelName: p.model?.modelName ?? inputs.modelName,
        // The service always reports the key ARN; keeping it (and the user's spelling separately)
        // is what lets diff ignore alias-vs-ARN spelling.
        kmsKeyArn: p.model?.modelKmsKeyArn ?? p.job?.importedModelKmsKeyArn ?? inputs.kmsKeyArn,
        kmsKeyInput: inputs.kmsKeyArn,
        tags: p.tags ?? inputs.tags,
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
