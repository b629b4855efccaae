// runVerification: every verify-access check, in order, as structured results. Read-only: it calls only
// Get*/List*/Describe*/Head* APIs (and sts:AssumeRole for the opt-in probe).

import type { StackConfig } from "../../components/config/stackConfig";
import { checkModelArtifacts } from "./artifacts";
import { sdkClientFactory, type AccountClients, type ClientFactory } from "./clients";
import { checkDeployed } from "./deployed";
import { checkIdentity, type Identity } from "./identity";
import { probeAsExecutionRole } from "./probe";
import { skip, type CheckResult } from "./types";

export interface VerifyOptions {
    /** Stack name: the KMS aliases are derived from it (alias/bedrock-cmi-<stack>-...). */
    stack: string;
    /** Limit artifact checks and the probe to this model; unknown names throw, listing the configured ones. */
    model?: string;
    /** Builds the SDK clients; defaults to the stack's credentials configuration (profiles, roles, default chain). */
    clientFactory?: ClientFactory;
    /** SDK attempts per call for the default factory (default 3). */
    maxAttempts?: number;
}

export class UnknownModelError extends Error {
    constructor(name: string, known: readonly string[]) {
        super(`Unknown model "${name}"; the stack configures: ${known.join(", ")}`);
        this.name = "UnknownModelError";
    }
}

export async function runVerification(config: StackConfig, options: VerifyOptions): Promise<CheckResult[]> {
    const models = options.model === undefined ? config.models : config.models.filter((m) => m.name === options.model);
    if (models.length === 0)
        throw new UnknownModelError(
            options.model ?? "",
            config.models.map((m) => m.name),
        );
    const factory =
        options.clientFactory ??
        sdkClientFactory(options.stack, { ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}) });
    const results: CheckResult[] = [];

    const devClients = factory.account("development", config.modelDevelopment);
    const hostClients = factory.account("hosting", config.modelHosting);
    const [dev, host] = await Promise.all([
        checkIdentity("development", config.modelDevelopment, devClients),
        checkIdentity("hosting", config.modelHosting, hostClients),
    ]);
    results.push(dev.result, host.result);
    // Credentials of the wrong account would read someone else's (or no) resources: skip what needs them.
    const usable = (r: { result: CheckResult }, c: AccountClients) => (r.result.ok ? c : undefined);
    const devOk = usable(dev, devClients);
    const hostOk = usable(host, hostClients);

    const deployed = await checkDeployed(config, options.stack, devOk, hostOk);
    results.push(...deployed.results);

    for (const m of models) {
        if (devOk) results.push(...(await checkModelArtifacts(config, m, devOk, deployed.developmentKeyArn)));
        else
            results.push(
                skip(
                    `artifacts.${m.name}`,
                    `Artifacts of ${m.name}`,
                    "skipped: the development account's credentials failed the identity check",
                ),
            );
    }

    const hostingIdentity: Identity | undefined = host.result.ok ? host.identity : undefined;
    results.push(...(await probeAsExecutionRole(config, options.stack, models, factory, hostingIdentity)));
    return results;
}

export function failed(results: readonly CheckResult[]): CheckResult[] {
    return results.filter((r) => !r.ok);
}
