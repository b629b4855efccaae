// The first thing a reviewer reads: per account what `up` creates, per model what `up` does and how long it may wait,
// and what outlives the stack. Built from the resources the program registered under mocks, so it says what the
// program does, not what the config suggests.

import type { StackConfig } from "../../components/config/stackConfig";
import { pointerParameterName } from "../../components/naming";
import { timingFor } from "../../components/dynamic/importedModel/timing";
import { problemText, type Problem } from "./problems";

export interface PlannedResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

interface ModelSummary {
    /** The config key of the model, e.g. models[0]. */
    key: string;
    name: string;
    /** What `up` does for it, in order. */
    steps: string[];
    /** How long `up` may wait for it. */
    wait: string;
}

export interface PlanSummary {
    /** What `up` creates or changes in each account, one line each. */
    modelDevelopment: string[];
    modelHosting: string[];
    models: ModelSummary[];
    /**
     * What outlives the stack (retained on delete) and the edit that stops managing it, each pointing to the README's
     * section on what `destroy` leaves behind and how to hand it over.
     */
    retained: Problem[];
}

/**
 * The README section on what `destroy` leaves behind and the hand-over (its heading's anchor; a test checks it exists).
 */
export const RETAINED_SECTION = "README.md#what-destroy-leaves-behind-and-how-to-remove-it-deliberately";

const IMPORTED_MODEL = "pulumi-nodejs:dynamic/bedrock:ImportedModel";

function str(r: PlannedResource | undefined, input: string): string {
    const v = r?.inputs[input];
    return typeof v === "string" ? v : "";
}

function developmentLines(
    config: StackConfig,
    resources: readonly PlannedResource[],
    ownSids: readonly string[],
): string[] {
    const find = (type: string) => resources.find((r) => r.type === type);
    const bucket = config.modelDevelopment.artifactBucket.name;
    const lines: string[] = [];
    if (find("aws:s3/bucket:Bucket")) {
        const settings = [
            "bucketPublicAccessBlock",
            "bucketOwnershipControls",
            "bucketServerSideEncryptionConfiguration",
            "bucketVersioning",
        ].filter((t) => resources.some((r) => r.type.startsWith(`aws:s3/${t}:`)));
        lines.push(
            `creates the artifact bucket ${bucket} with ${settings.length} settings (public access block, ` +
                `ownership, default encryption, versioning); kept by destroy`,
        );
    } else {
        lines.push(`uses the existing artifact bucket ${bucket} (artifactBucket.create: false)`);
    }
    const alias = resources.find((r) => r.type === "aws:kms/alias:Alias");
    if (find("aws:kms/key:Key"))
        lines.push(`creates the development key ${str(alias, "name")} that encrypts the bucket; kept by destroy`);
    const grant = find("aws:kms/grant:Grant");
    if (grant) {
        lines.push(
            `adds a grant on the research team's key ${str(grant, "keyId")} for the execution role (${Array.isArray(grant.inputs.operations) ? grant.inputs.operations.join(", ") : ""}); ` +
                `does not edit that key's policy`,
        );
    }
    lines.push(
        `adds ${ownSids.length} statements to the bucket policy of ${bucket} (the research team's and other ` +
            `stacks' are kept)`,
    );
    return lines;
}

function hostingLines(
    config: StackConfig,
    resources: readonly PlannedResource[],
    other: readonly PlannedResource[],
): string[] {
    const host = config.modelHosting;
    const lines = [
        `creates the execution role ${host.executionRoleName} and its policy ${host.executionPolicyName} (attached)`,
    ];
    const alias = resources.find((r) => r.type === "aws:kms/alias:Alias");
    if (resources.some((r) => r.type === "aws:kms/key:Key"))
        lines.push(`creates the hosting key ${str(alias, "name")} that encrypts the imported models`);
    const pointers = resources.filter((r) => r.type === "aws:ssm/parameter:Parameter").map((r) => str(r, "name"));
    lines.push(
        `creates ${pointers.length} SSM pointer${pointers.length === 1 ? "" : "s"} to the live model ARN: ` +
            `${pointers.join(", ")}`,
    );
    const models = other.filter((r) => r.type === IMPORTED_MODEL).length;
    lines.push(
        `imports ${models} model${models === 1 ? "" : "s"} (below); an import sweeper (no AWS resource) cleans ` +
            `up after an interrupted up on destroy`,
    );
    return lines;
}

function modelSummaries(stack: string, config: StackConfig, other: readonly PlannedResource[]): ModelSummary[] {
    return config.models.map((m, i) => {
        const key = `models[${i}]`;
        const r = other.find((x) => x.type === IMPORTED_MODEL && x.inputs.configPath === key);
        const smoke = m.smokeTest
            ? `smoke test: one InvokeModel before the pointer moves, retried for a cold model up to ${key}.smokeTest.timeoutMinutes` +
              (m.smokeTest.timeoutMinutes !== undefined
                  ? ` (${m.smokeTest.timeoutMinutes} min)`
                  : " (not set: the default)")
            : `no smoke test (${key}.smokeTest not set)`;
        const timeout = timingFor(
            { ...(m.timeoutMinutes !== undefined ? { timeoutMinutes: m.timeoutMinutes } : {}) },
            0,
        ).timeoutMinutes;
        return {
            key,
            name: m.name,
            steps: [
                `import job from ${str(r, "s3Uri")} into the imported model ${str(r, "modelName")}${config.modelHosting.kms.enabled ? " (encrypted with the hosting key)" : ""}`,
                smoke,
                `the pointer ${pointerParameterName(stack, m.name)} names the new model`,
            ],
            // README "What `up` prints while it waits": an import takes minutes to hours.
            wait:
                `an import takes minutes to hours; up waits up to ${timeout} min (${key}.timeoutMinutes${m.timeoutMinutes === undefined ? ", default" : ""}), ` +
                `then stops waiting and the next up resumes`,
        };
    });
}

/** The edits that stop managing what outlives the stack: the bucket and the development key (retainOnDelete). */
function retainedNotes(config: StackConfig): Problem[] {
    const dev = config.modelDevelopment;
    const bucket = dev.artifactBucket.name;
    const left = `it leaves this stack's state and stays in AWS as it is`;
    const see = `What destroy leaves behind and how to hand it over: ${RETAINED_SECTION}`;
    const notes: Problem[] = [];
    notes.push(
        dev.artifactBucket.create
            ? {
                  key: "modelDevelopment.artifactBucket.create",
                  message:
                      `true: the bucket ${bucket} and its settings outlive the stack; destroy, or the edit ` +
                      `artifactBucket.create: false, stops managing them (${left}, objects and all). ${see}`,
              }
            : {
                  key: "modelDevelopment.artifactBucket.create",
                  message:
                      `false: if an earlier up of this stack created ${bucket}, this up stops managing it (${left}, ` +
                      `objects and all). ${see}`,
              },
    );
    notes.push(
        dev.kms.enabled
            ? {
                  key: "modelDevelopment.kms.enabled",
                  message:
                      `true: the development key outlives the stack; destroy, or the edit kms.enabled: false (with ` +
                      `kms.keyArn set to it), stops managing it (${left}, not scheduled for deletion). ${see}`,
              }
            : {
                  key: dev.kms.keyArn !== undefined ? "modelDevelopment.kms.keyArn" : "modelDevelopment.kms.enabled",
                  message:
                      `${dev.kms.keyArn !== undefined ? "set (kms.enabled false)" : "false"}: if an earlier up ` +
                      `of this stack created a development key, ` +
                      `this up stops managing it (${left}, not scheduled for deletion). ${see}`,
              },
    );
    return notes;
}

export function planSummary(
    stack: string,
    config: StackConfig,
    resources: {
        modelDevelopment: readonly PlannedResource[];
        modelHosting: readonly PlannedResource[];
        other: readonly PlannedResource[];
    },
    ownSids: readonly string[],
): PlanSummary {
    return {
        modelDevelopment: developmentLines(config, resources.modelDevelopment, ownSids),
        modelHosting: hostingLines(config, resources.modelHosting, resources.other),
        models: modelSummaries(stack, config, resources.other),
        retained: retainedNotes(config),
    };
}

/** The summary section: `accounts` are the two account headings as the plan prints them. */
export function formatSummary(s: PlanSummary, accounts: { modelDevelopment: string; modelHosting: string }): string[] {
    const out = ["Summary: what pulumi up does", `  ${accounts.modelDevelopment}`];
    out.push(
        ...s.modelDevelopment.map((l) => `    - ${l}`),
        `  ${accounts.modelHosting}`,
        ...s.modelHosting.map((l) => `    - ${l}`),
    );
    // Concurrent model import jobs per account: 1, not adjustable
    // (https://docs.aws.amazon.com/general/latest/gr/bedrock.html#limits_bedrock).
    out.push(`  Models, imported one after another (Bedrock runs one import per account at a time)`);
    for (const m of s.models)
        out.push(`    ${m.key} ${m.name}:`, ...m.steps.map((l, i) => `      ${i + 1}. ${l}`), `      wait: ${m.wait}`);
    out.push(...s.retained.map((n) => `  NOTE: ${problemText(n)}`));
    return out;
}
