// Runs index.ts under pulumi.runtime.setMocks with a given stack config and records every resource:
// its type, name, exact inputs, the provider (account) that created it, its parent and its dependencies.
// Each run clears the require cache of this repository's modules, so every config is read afresh.
// Used by the tests and by `npm run plan`; needs no credentials and no Pulumi CLI.

import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "../../components/config/stackConfig";
import { PROJECT } from "../../components/naming";
import { PROVIDER_MODULES } from "../../components/dynamic/providerModules";
import { partitionOf } from "../../components/rules";
import { REPO_ROOT } from "./stackFile";

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    // Inputs are whatever the program passed: the tests compare them exactly.
    inputs: Record<string, unknown>;
    /** Name of the explicit provider that manages it (e.g. "model-development"), or undefined. */
    providerName?: string;
    parentUrn?: string;
    /** URNs this resource depends on (dependsOn plus input dependencies). */
    dependencies: string[];
    /** The inputs the program passed as secrets (their value in `inputs` is Pulumi's secret wrapper). */
    secretInputs: string[];
    /** The resource options the engine would act on over the stack's life (not carried by MockResourceArgs). */
    options: {
        ignoreChanges: string[];
        retainOnDelete: boolean;
        deleteBeforeReplace: boolean;
        additionalSecretOutputs: string[];
        aliasNames: string[];
    };
}

export interface ProgramRun {
    resources: RecordedResource[];
    outputs: Record<string, unknown>;
    /** The stack outputs that are secrets. */
    secretOutputs: string[];
    invokes: string[];
    error?: Error;
}

/** Stack config in the shape of Pulumi.<stack>.yaml's `config:` map (project-qualified keys). */
export type StackConfigMap = Record<string, unknown>;

function qualify(config: Record<string, unknown>): StackConfigMap {
    return Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k.includes(":") ? k : `${CONFIG_NAMESPACE}:${k}`, v]),
    );
}

// Pulumi's wire form of a secret: { [specialSigKey]: specialSecretSig, value }.
const { specialSigKey: SIG_KEY, specialSecretSig: SECRET_SIG } = pulumi.runtime;

function isSecretWire(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** `v` with every secret replaced by its plain value (what the mock computes ids and ARNs from). */
function revealed(v: unknown): unknown {
    if (isSecretWire(v)) return revealed(v.value);
    if (Array.isArray(v)) return v.map(revealed);
    if (typeof v === "object" && v !== null)
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revealed(x)]));
    return v;
}

function mockId(type: string, name: string, inputs: Record<string, unknown>): string {
    switch (type) {
        case "aws:s3/bucket:Bucket":
            return String(inputs.bucket);
        case "aws:iam/role:Role":
        case "aws:iam/policy:Policy":
            return String(inputs.name);
        case "aws:kms/alias:Alias":
            return String(inputs.name);
        case "aws:kms/key:Key":
            return `key-${name}`;
        default:
            return `${name}-id`;
    }
}

function mockState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    target: { account: string; region: string },
): Record<string, unknown> {
    const { account, region } = target;
    switch (type) {
        case "aws:s3/bucket:Bucket":
            return { ...inputs, arn: `arn:${partitionOf(region)}:s3:::${inputs.bucket}` };
        case "aws:iam/role:Role":
            return { ...inputs, arn: `arn:${partitionOf(region)}:iam::${account}:role/${inputs.name}` };
        case "aws:iam/policy:Policy":
            return { ...inputs, arn: `arn:${partitionOf(region)}:iam::${account}:policy/${inputs.name}` };
        case "aws:kms/key:Key":
            return {
                ...inputs,
                keyId: `key-${name}`,
                arn: `arn:${partitionOf(region)}:kms:${region}:${account}:key/key-${name}`,
            };
        case "pulumi-nodejs:dynamic/bedrock:ImportedModel": {
            // What the imported-model provider reports after an import; the real values come from Bedrock.
            const arn = `arn:${partitionOf(String(inputs.region))}:bedrock:${inputs.region}:${inputs.accountId}`;
            return {
                ...inputs,
                jobName: `${inputs.modelName}-mock-1`,
                jobArn: `${arn}:model-import-job/mock${name.length}`,
                jobStatus: "Completed",
                modelArn: `${arn}:imported-model/mock${name.length}`,
                modelArchitecture: "mistral",
                instructSupported: true,
            };
        }
        default:
            return { ...inputs };
    }
}

type RegisterRequest = {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getIgnorechangesList(): string[];
    getRetainondelete(): boolean | undefined;
    getDeletebeforereplace(): boolean;
    getAdditionalsecretoutputsList(): string[];
    getAliasesList(): Array<{ getSpec(): { getName(): string } | undefined; getUrn(): string }>;
    getAliasurnsList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
};
type Monitor = { registerResource(req: RegisterRequest, cb: (err: unknown, resp: unknown) => void): void };

// The dynamic providers read no config, so their modules stay loaded (every module whose path starts with a provider's
// folder, the resource module beside it included): the same loader object lets Pulumi's dynamic-provider cache skip
// re-serializing it (about half a second) on every run.
const KEEP_LOADED = [...new Set(PROVIDER_MODULES.map((m) => path.join(path.sep, path.dirname(m.entry))))];

// The scripts go too: a script module kept loaded would stay bound to the cleared components, so a file loaded later
// would see two copies of one module (a rulebook entry from the fresh copy, the script's answer from the old one).
function clearRepoModules(): void {
    for (const id of Object.keys(require.cache)) {
        if (KEEP_LOADED.some((kept) => id.includes(kept))) continue;
        if (
            id.startsWith(REPO_ROOT) &&
            !id.includes(`${path.sep}node_modules${path.sep}`) &&
            !id.includes(`${path.sep}tests${path.sep}`)
        ) {
            delete require.cache[id];
        }
    }
}

async function settle(pending: () => number): Promise<void> {
    // Registrations chain through outputs; wait until none is in flight across several turns of the loop.
    let quiet = 0;
    for (let i = 0; i < 10000 && quiet < 20; i++) {
        await new Promise((r) => setImmediate(r));
        quiet = pending() === 0 ? quiet + 1 : 0;
    }
}

async function unwrap(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        return new Promise((resolve) => (value as pulumi.Output<unknown>).apply((v) => resolve(v)));
    }
    return value;
}

/** Config keys set with `pulumi config set --secret`, as the engine names them to the program. */
export interface SecretConfig {
    /** The secret keys (unqualified contract keys or qualified): the engine names whole top-level keys. */
    keys: string[];
    /**
     * The project folder the program runs in, whose Pulumi.<stack>.yaml tells which leaves are secret (`--path`).
     * Default: a folder without a project, so the program cannot narrow and every leaf of the keys is secret.
     */
    projectDir?: string;
}

/** What the mock monitor saw of one registration: type, name, parent, dependencies, secret inputs and options. */
function recordedOf(req: RegisterRequest, urn: string, deps: Set<string>): RecordedResource {
    return {
        type: req.getType(),
        name: req.getName(),
        urn,
        inputs: {},
        parentUrn: req.getParent() || undefined,
        dependencies: [...deps].sort(),
        secretInputs: Object.entries(req.getObject()?.toJavaScript() ?? {})
            .filter(([, v]) => isSecretWire(v))
            .map(([k]) => k),
        options: {
            ignoreChanges: req.getIgnorechangesList(),
            retainOnDelete: req.getRetainondelete() === true,
            deleteBeforeReplace: req.getDeletebeforereplace(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            // The names the resource had before (alias specs, or alias URNs whose last part is the name).
            aliasNames: [
                ...req.getAliasesList().map((a) => a.getSpec()?.getName() ?? a.getUrn().split("::").pop() ?? ""),
                ...req.getAliasurnsList().map((urn) => urn.split("::").pop() ?? ""),
                // An alias inherited from the parent's keeps the name: it has none of its own.
            ].filter((name) => name !== ""),
        },
    };
}

/**
 * Runs the program under mocks with `config` (keys may be unqualified contract keys or qualified
 * `namespace:key`). Accounts for ARNs in mock state are taken from the provider each resource uses.
 */
export async function runProgram(
    config: StackConfigMap,
    stack = "test",
    beforeLoad?: () => void,
    secret?: SecretConfig,
): Promise<ProgramRun> {
    const qualified = qualify(config);
    const secretKeys = Object.keys(qualify(Object.fromEntries((secret?.keys ?? []).map((k) => [k, true]))));
    pulumi.runtime.setAllConfig(
        Object.fromEntries(
            Object.entries(qualified).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        ),
        secretKeys,
    );
    const resources: RecordedResource[] = [];
    const invokes: string[] = [];
    const targetByProvider = new Map<string, { account: string; region: string }>();
    const providerOfResource = new Map<string, string>();
    let pending = 0;

    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
                // Secret inputs arrive wrapped; the ids and ARNs come from their values, and the state keeps them
                // secret.
                const inputs = revealed(args.inputs) as Record<string, unknown>;
                if (args.type === "pulumi:providers:aws") {
                    const allowed = JSON.parse(String(inputs.allowedAccountIds ?? "[]")) as string[];
                    targetByProvider.set(args.name, {
                        account: allowed[0] ?? "000000000000",
                        region: String(inputs.region ?? "us-east-1"),
                    });
                }
                const providerName = args.provider ? args.provider.split("::")[3] : undefined;
                if (providerName) providerOfResource.set(args.name, providerName);
                const target = targetByProvider.get(providerOfResource.get(args.name) ?? "") ?? {
                    account: "000000000000",
                    region: "us-east-1",
                };
                const state = {
                    ...mockState(args.type, args.name, inputs, target),
                    ...(args.inputs as Record<string, unknown>),
                };
                return { id: mockId(args.type, args.name, inputs), state };
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
                invokes.push(args.token);
                throw new Error(`unmocked invoke ${args.token}: the program must not call data sources`);
            },
        },
        PROJECT,
        stack,
        false,
    );

    // Wrap the mock monitor to see parent and dependencies, which MockResourceArgs does not carry.
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        pending++;
        const deps = new Set(req.getDependenciesList());
        req.getPropertydependenciesMap().forEach((v) => v.getUrnsList().forEach((u) => deps.add(u)));
        original(req, (err, resp) => {
            if (!err) {
                resources.push(recordedOf(req, (resp as { getUrn(): string }).getUrn(), deps));
            }
            pending--;
            cb(err, resp);
        });
    };

    // Inputs exactly as the program passed them come from newResource; join them by name and type.
    const inputsByKey = new Map<string, { inputs: Record<string, unknown>; provider?: string }>();
    const mocks = (
        pulumi.runtime.getMonitor() as unknown as {
            mocks: { newResource(a: pulumi.runtime.MockResourceArgs): unknown };
        }
    ).mocks;
    const newResource = mocks.newResource.bind(mocks);
    mocks.newResource = (a) => {
        inputsByKey.set(`${a.type}::${a.name}`, { inputs: a.inputs as Record<string, unknown>, provider: a.provider });
        return newResource(a);
    };

    clearRepoModules();
    beforeLoad?.();
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    let error: Error | undefined;
    // The program reads the stack file of the folder it runs in only when a key is secret.
    const cwd = process.cwd();
    if (secret) process.chdir(secret.projectDir ?? os.tmpdir());
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = require(path.join(REPO_ROOT, "index")) as Record<string, unknown>;
        for (const [k, v] of Object.entries(program)) {
            outputs[k] = await unwrap(v);
            if (pulumi.Output.isInstance(v) && (await pulumi.isSecret(v as pulumi.Output<unknown>)))
                secretOutputs.push(k);
        }
    } catch (e) {
        error = e as Error;
    } finally {
        process.chdir(cwd);
    }
    await settle(() => pending);
    for (const r of resources) {
        const rec = inputsByKey.get(`${r.type}::${r.name}`);
        r.inputs = rec?.inputs ?? {};
        r.providerName = rec?.provider ? rec.provider.split("::")[3] : undefined;
    }
    return { resources, outputs, secretOutputs, invokes, error };
}

/** Parses a JSON-encoded input (policies arrive as strings). */
export function json(v: unknown): unknown {
    return typeof v === "string" ? JSON.parse(v) : v;
}
