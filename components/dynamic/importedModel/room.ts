// Room for one more imported model, checked before an import starts: a rollout needs one more slot than the account
// already uses (the new version exists next to the old one until the pointer moves), against the imported-models
// quota (3 by default, adjustable: rules/quotas.ts). Without room, fail before any job exists.

import { GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import {
    BEDROCK_SERVICE_CODE,
    IMPORTED_MODELS_DEFAULT_QUOTA,
    IMPORTED_MODELS_QUOTA_CODE,
    raiseImportedModelsQuotaCommand,
} from "../../rules/quotas";
import { importedModelNames } from "./bedrockApi";
import type { Context } from "./context";

interface Room {
    models: string[];
    quota: number;
    /** Where the quota came from: Service Quotas, or the documented default when it could not be read. */
    quotaSource: "service-quotas" | "default";
}

/**
 * The account's imported-models quota from Service Quotas (GetServiceQuota, IMPORTED_MODELS_QUOTA_CODE), or undefined.
 */
async function quotaValue(ctx: Context): Promise<number | undefined> {
    if (!ctx.clients.quotas) return undefined;
    try {
        const out = (await ctx.clients.quotas.send(
            new GetServiceQuotaCommand({ ServiceCode: BEDROCK_SERVICE_CODE, QuotaCode: IMPORTED_MODELS_QUOTA_CODE }),
        )) as {
            Quota?: { Value?: number };
        };
        const value = out.Quota?.Value;
        return typeof value === "number" && value >= 1 ? Math.floor(value) : undefined;
    } catch {
        // No servicequotas:GetServiceQuota permission, or the quota is unknown here: assume the documented default.
        return undefined;
    }
}

async function roomForOneMore(ctx: Context): Promise<Room> {
    const models = await importedModelNames(ctx);
    const read = await quotaValue(ctx);
    return {
        models,
        quota: read ?? IMPORTED_MODELS_DEFAULT_QUOTA,
        quotaSource: read === undefined ? "default" : "service-quotas",
    };
}

/** Throws before any import starts when the account has no slot left for this model. */
export async function ensureRoom(ctx: Context): Promise<void> {
    const { inputs } = ctx;
    const room = await roomForOneMore(ctx);
    if (room.models.includes(inputs.modelName) || room.models.length < room.quota) return;
    throw new Error(
        `[${inputs.modelName}] no import was started: account ${inputs.accountId} already holds ` +
            `${room.models.length} imported models in ${inputs.region} ` +
            `(${room.models.join(", ")}), and the imported-models quota (code ${IMPORTED_MODELS_QUOTA_CODE}) is ` +
            `${room.quota}` +
            `${room.quotaSource === "default" ? " (the default; Service Quotas could not be read)" : ""}. A new ` +
            `version is imported next to the old one ` +
            `before the old one is deleted, so it needs a free slot. Delete an unused model (aws bedrock ` +
            `delete-imported-model --model-identifier <name> ` +
            `--region ${inputs.region}) or raise the quota (${raiseImportedModelsQuotaCommand(inputs.region, room.models.length + 1)}), ` +
            `then run "pulumi up" again.`,
    );
}
