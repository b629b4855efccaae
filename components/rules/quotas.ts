// The two Bedrock quotas that answer CreateModelImportJob with ServiceQuotaExceededException.
// https://docs.aws.amazon.com/general/latest/gr/bedrock.html#limits_bedrock ("Concurrent model import jobs": 1, not
// adjustable; "Imported models per account": 3, adjustable, console link .../services/bedrock/quotas/L-45B04988)

/** Imported models per account: 3 by default, adjustable. Waiting never helps. */
export const IMPORTED_MODELS_DEFAULT_QUOTA = 3;
export const IMPORTED_MODELS_QUOTA_CODE = "L-45B04988";
export const BEDROCK_SERVICE_CODE = "bedrock";
export const QUOTAS_SOURCE = "https://docs.aws.amazon.com/general/latest/gr/bedrock.html#limits_bedrock";

/** The command that asks for more imported-model slots. */
export function raiseImportedModelsQuotaCommand(region: string, desired: number): string {
    return (
        `aws service-quotas request-service-quota-increase --service-code ${BEDROCK_SERVICE_CODE} --quota-code ` +
        `${IMPORTED_MODELS_QUOTA_CODE} --desired-value ${desired} --region ${region}`
    );
}
