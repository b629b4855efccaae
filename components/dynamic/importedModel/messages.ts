// The messages of the failures a user must act on: a failed job, a full imported-models quota, a denied
// CreateModelImportJob. Each says what happened, what was not done, and what to change. Pure functions.

import type { GetModelImportJobCommandOutput } from "@aws-sdk/client-bedrock";
import * as awsErrors from "../../awsSdk/errors";
import * as errors from "./errors";
import * as quotas from "../../rules/quotas";
import { partitionOf } from "../../rules";
import * as naming from "./naming";
import { credentialSource } from "../../awsSdk/credentials";
import type { ImportedModelInputs } from "./types";
import { identityOf, type Progress } from "./state";
import { createImportJobChecklist, importJobChecklist, type ImportFacts } from "../../policies/checklist";

function bucketAndPrefix(s3Uri: string): { bucket: string; prefix: string } {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(s3Uri);
    return m ? { bucket: m[1], prefix: m[2] } : { bucket: s3Uri, prefix: "" };
}

/** The import as the checklists need it. */
function importFacts(inputs: ImportedModelInputs, hostingKeyArn: string | undefined): ImportFacts {
    const { bucket, prefix } = bucketAndPrefix(inputs.s3Uri);
    return {
        partition: partitionOf(inputs.region),
        roleArn: inputs.roleArn,
        hostingAccountId: inputs.accountId,
        region: inputs.region,
        bucket,
        prefix,
        ...(hostingKeyArn ? { hostingKeyArn } : {}),
    };
}

/** The message for a `Failed` job: the service's words, then (for access failures) what to check. */
function failureText(
    inputs: ImportedModelInputs,
    job: GetModelImportJobCommandOutput,
    jobName: string,
    attempt: number,
): string {
    const reason = job.failureMessage ?? "no failureMessage was reported";
    const lines = [`[${inputs.modelName}] Bedrock import job ${jobName} (${job.jobArn ?? "no ARN"}) failed: ${reason}`];
    if (errors.isArtifactAccessFailure(reason)) {
        lines.push(
            `Bedrock reads ${inputs.s3Uri} as the execution role ${inputs.roleArn}. Check, statement by statement:`,
        );
        lines.push(...importJobChecklist(importFacts(inputs, job.importedModelKmsKeyArn ?? inputs.kmsKeyArn)));
        if (inputs.stackName) {
            lines.push(
                `Verify the access as the role with: npm run verify-access -- --stack ${inputs.stackName} ` +
                    `--model ${inputs.baseName ?? inputs.modelName}`,
            );
        }
    }
    lines.push(
        `Job records cannot be reused: after fixing the cause, run "pulumi up" again and a new attempt (job ` +
            `${naming.jobNameFor(identityOf(inputs), attempt + 1)}) starts.`,
    );
    return lines.join("\n");
}

export function importedModelsQuotaError(inputs: ImportedModelInputs, models: string[], cause: unknown): Error {
    return new Error(
        `[${inputs.modelName}] account ${inputs.accountId} has no room for another imported model in ` +
            `${inputs.region}: no import is running, so this is ` +
            `the imported-models quota (code ${quotas.IMPORTED_MODELS_QUOTA_CODE}, ` +
            `${quotas.IMPORTED_MODELS_DEFAULT_QUOTA} by default, adjustable), not the one-import-at-a-time ` +
            `limit. ` +
            `Models in the account (${models.length}): ${models.join(", ") || "none listed"}. No job was ` +
            `started. Either delete one ` +
            `(aws bedrock delete-imported-model --model-identifier <name> --region ${inputs.region}) or raise ` +
            `the quota ` +
            `(${quotas.raiseImportedModelsQuotaCommand(inputs.region, Math.max(models.length + 1, quotas.IMPORTED_MODELS_DEFAULT_QUOTA + 1))}). ` +
            `Bedrock said: ${awsErrors.errorMessage(cause)}`,
        { cause },
    );
}

export function accessDeniedText(
    inputs: ImportedModelInputs,
    callerArn: string | undefined,
    jobName: string,
    err: unknown,
): string {
    const message = awsErrors.errorMessage(err);
    const action = errors.deniedAction(message);
    const who = callerArn ?? credentialSource(inputs);
    const what = action
        ? `${action} was denied`
        : "an action was denied (Bedrock did not name it; usually iam:PassRole on the execution role, " +
          "bedrock:CreateModelImportJob, or kms:CreateGrant on the hosting key)";
    return (
        `[${inputs.modelName}] CreateModelImportJob ${jobName} was refused for ${who}: ${what}. No job was ` +
        `started, and retrying cannot help. ` +
        `Grant that identity what \`npm run plan\` prints as the deployer's policy ` +
        `(README: "The deploying identity"); for this call:\n` +
        createImportJobChecklist(importFacts(inputs, inputs.kmsKeyArn)).join("\n") +
        `\nBedrock said: ${message}`
    );
}

export interface FailedJobError extends Error {
    failedProgress: Progress;
}

export function failedJobError(
    inputs: ImportedModelInputs,
    progress: Progress,
    job: GetModelImportJobCommandOutput,
): FailedJobError {
    const err = new Error(failureText(inputs, job, progress.jobName, progress.attempt)) as FailedJobError;
    err.failedProgress = { ...progress, job };
    return err;
}

export function isFailedJobError(err: unknown): err is FailedJobError {
    return err instanceof Error && (err as Partial<FailedJobError>).failedProgress !== undefined;
}
