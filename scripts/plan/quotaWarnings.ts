// Warnings about Bedrock's imported-models quota. Warnings, not errors: the plan is offline and cannot see
// whether the hosting account's quota was already raised, and the config itself is valid.

import type { StackConfig } from "../../components/config/stackConfig";
import {
    IMPORTED_MODELS_DEFAULT_QUOTA,
    IMPORTED_MODELS_QUOTA_CODE,
    QUOTAS_SOURCE,
    raiseImportedModelsQuotaCommand,
} from "../../components/rules";

export function quotaWarnings(config: StackConfig): string[] {
    const models = config.models.length;
    const quota = IMPORTED_MODELS_DEFAULT_QUOTA;
    const { accountId, region } = config.modelHosting;
    const where = `account ${accountId} in ${region}`;
    const quotaName =
        `Bedrock's imported-models quota (code ${IMPORTED_MODELS_QUOTA_CODE}, ${quota} per account and region by ` +
        `default, adjustable; ${QUOTAS_SOURCE})`;
    const warnings: string[] = [];
    if (models > quota) {
        warnings.push(
            `WARNING: models lists ${models} models, more than ${quotaName}. Unless the quota of ${where} was ` +
                `raised already, ` +
                `the import of models[${quota}] fails with ServiceQuotaExceededException (imported models of ` +
                `other stacks in that account count too). ` +
                `Raise it: ${raiseImportedModelsQuotaCommand(region, models)}`,
        );
    }
    // A new version is imported next to the old one and the old one is deleted only after the switch, so a
    // rollout needs one extra slot per model rolled out at the same time.
    if (2 * models > quota) {
        const raise = raiseImportedModelsQuotaCommand(region, 2 * models);
        const advice =
            models + 1 <= quota
                ? `roll out one model at a time (${models + 1} slots), or raise the quota of ${where}: ${raise}`
                : `even one model at a time needs ${models + 1} slots, so raise the quota of ${where} to at least ` +
                  `${models + 1} (${2 * models} for all at once): ${raise}`;
        warnings.push(
            `WARNING: a rollout of a new version of all ${models} models at once needs ${2 * models} ` +
                `imported-model slots, ` +
                `more than the default quota of ${quota} (code ${IMPORTED_MODELS_QUOTA_CODE}); ${advice}`,
        );
    }
    return warnings;
}
