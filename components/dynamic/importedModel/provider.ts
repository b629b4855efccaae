// The dynamic provider behind `ImportedModel`: check, diff, and the wiring of each operation to its context (clients,
// clock, credentials) and to the lifecycle (lifecycle.ts). The engine does not run this module from state: the
// resource registers a small loader (../loader.ts) that requires it from the program's checkout at every operation.
import { randomUUID } from "crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { accountOf } from "../../awsSdk/inputs";
import { configuredAccounts, currentCredentials, type ConfiguredAccounts } from "../../config/currentAccount";
import { sameValue } from "../../awsSdk/values";
import type { CompleteProvider } from "../../awsSdk/types";
import * as naming from "./naming";
import * as validation from "./validation";
import { REPLACE_KEYS, UPDATE_KEYS, type ImportedModelInputs, type ImportedModelOutputs } from "./fields";
import type { ImportedModelProviderDeps } from "./types";
import { assertAccount } from "./bedrockApi";
import { defaultClients } from "./clients";
import type { Context } from "./context";
import { createModel, deleteModel, readModel, updateModel } from "./lifecycle";
import { consoleProgress } from "./progress";
import { inputsOfState } from "./state";
import { timingFor } from "./timing";

export { DEFAULT_POLL_INTERVAL_SECONDS } from "./timing";

function sameTags(a: unknown, b: unknown): boolean {
    const ta = (a ?? {}) as Record<string, unknown>;
    const tb = (b ?? {}) as Record<string, unknown>;
    if (validation.isUnknown(a) || validation.isUnknown(b)) {
        return false;
    }
    const ka = Object.keys(ta).sort();
    const kb = Object.keys(tb).sort();
    return (
        ka.length === kb.length && ka.every((k, i) => k === kb[i] && ta[k] === tb[k] && !validation.isUnknown(tb[k]))
    );
}

/** The dynamic provider with every method present and results typed for callers (tests, bench). */
export type ImportedModelProvider = CompleteProvider<ImportedModelInputs, ImportedModelOutputs>;

/** Builds the provider; tests and the benchmark inject a virtual clock and fake clients. */
export function createImportedModelProvider(deps: ImportedModelProviderDeps = {}): ImportedModelProvider {
    const now = deps.now ?? (() => Date.now());
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const random = deps.random ?? (() => Math.random());
    const makeClients = deps.clients ?? defaultClients;
    const newEntryToken = deps.newEntryToken ?? (() => randomUUID());
    const progress = deps.progress ?? consoleProgress;

    const context = (inputs: ImportedModelInputs): Context => ({
        inputs,
        clients: makeClients(accountOf(inputs)),
        now,
        sleep,
        random,
        progress,
        timing: timingFor(inputs, now()),
    });
    // The stack's current config, from `configure`; read and delete reach the model with its current credentials.
    const configured: { accounts?: ConfiguredAccounts } = {};
    const storedContext = (props: ImportedModelOutputs): Context =>
        context(currentCredentials(inputsOfState(props), configured.accounts, "modelHosting"));

    return {
        async configure(req: dynamic.ConfigureRequest) {
            configured.accounts = configuredAccounts(req.config);
        },

        async check(_olds: ImportedModelInputs, news: ImportedModelInputs) {
            const failures = validation.validateInputs(news as unknown as Record<string, unknown>);
            return { inputs: news, failures };
        },

        async diff(_id: string, olds: ImportedModelOutputs, news: ImportedModelInputs) {
            return diffModel(olds, news);
        },

        async create(news: ImportedModelInputs) {
            // A new state entry: it holds (tags) only the model this create imports or adopts.
            const inputs = { ...news, entryToken: newEntryToken() };
            const ctx = context(inputs);
            await assertAccount(ctx);
            return createModel(ctx);
        },

        async read(id: string, props?: ImportedModelOutputs) {
            if (!props || !props.accountId || !props.modelName) {
                throw new Error(
                    `[${id}] ImportedModel cannot be read without its stored inputs (pulumi import is not ` +
                        `supported for it).`,
                );
            }
            const ctx = storedContext(props);
            // A wrong account would answer "not found" and make refresh drop a live model from state.
            await assertAccount(ctx);
            return readModel(ctx, id, props);
        },

        async update(id: string, olds: ImportedModelOutputs, news: ImportedModelInputs) {
            // The same entry: its token (state written before tokens existed gets one now).
            const inputs = { ...news, entryToken: olds.entryToken ?? newEntryToken() };
            const ctx = context(inputs);
            await assertAccount(ctx);
            return updateModel(ctx, id, olds, inputs);
        },

        async delete(_id: string, props: ImportedModelOutputs) {
            const ctx = storedContext(props);
            await assertAccount(ctx);
            await deleteModel(ctx, props);
        },
    };
}

/** Replace on what defines the import, update in place on the rest; a pending job or smoke test is a change too. */
function diffModel(olds: ImportedModelOutputs, news: ImportedModelInputs): dynamic.DiffResult {
    const o = olds as unknown as Record<string, unknown>;
    const n = news as unknown as Record<string, unknown>;
    let replaces: string[] = REPLACE_KEYS.filter((key) => validation.isUnknown(n[key]) || !sameValue(o[key], n[key]));
    if (validation.isUnknown(news.kmsKeyArn) || !naming.sameKmsKey(news.kmsKeyArn, olds)) {
        replaces.push("kmsKeyArn");
    }
    if (replaces.length === 1 && replaces[0] === "modelName" && naming.keepsLegacyName(olds.modelName, news)) {
        // Named by an earlier rule (no version, or a constant for the stack's key), same artifacts and key: keep the
        // name; the next new version or key replaces it.
        replaces = [];
    }
    const updates: string[] = UPDATE_KEYS.filter((key) => validation.isUnknown(n[key]) || !sameValue(o[key], n[key]));
    if (!sameTags(olds.tags, news.tags)) {
        updates.push("tags");
    }
    // A job still pending (or failed) in state: `update` resumes it, so report a change.
    const pending = olds.jobStatus !== "Completed" || !olds.modelArn;
    // A configured smoke test that has not passed for this model yet: `update` runs it (and nothing else).
    const smokePending = !!news.smokeTest && !validation.isUnknown(news.smokeTest) && !olds.smokeTestPassedAt;
    // Names are unique per account and region: only a replacement that keeps the name there must delete first.
    // A new version has a new name, so the new model is created next to the old one, and Pulumi deletes the
    // old one last (https://www.pulumi.com/docs/iac/concepts/options/deletebeforereplace/).
    const sameName = !validation.isUnknown(news.modelName) && sameValue(olds.modelName, news.modelName);
    const samePlace = sameValue(olds.accountId, news.accountId) && sameValue(olds.region, news.region);
    return {
        changes: replaces.length > 0 || updates.length > 0 || pending || smokePending,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && sameName && samePlace,
    };
}
