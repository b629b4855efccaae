// Likely mistakes in a valid stack config, and collisions with the other stack files in the folder. Warnings, not
// errors: each may be meant (a folder named like the bucket, a key shared across accounts), and `plan` cannot see AWS.

import type { StackConfig } from "../../components/config/stackConfig";
import { parseOptionsFor } from "../../components/config/providerArgs";
import { parseStackConfig } from "../../components/config/stackConfig";
import { pointerParameterName, PROJECT } from "../../components/naming";
import { modelImportName } from "../../components/crossAccountImport/modelInputs";
import { parseKmsKeyArn } from "../../components/rules";
import { knownStacks, rawStackConfig, readStackConfig } from "../common/stackFile";
import { standInSecrets } from "../common/secrets";

// Files a Hugging Face layout holds; a prefix ending in one of them names a file, not the folder Bedrock imports.
const ARTIFACT_FILE = /\.(json|safetensors|bin|model|txt|pt|pth|gguf|msgpack|h5|jinja|md|py|tiktoken)$/i;

/** Warnings about one stack's own config, each naming its key. */
export function configWarnings(config: StackConfig): string[] {
    const warnings: string[] = [];
    const bucket = config.modelDevelopment.artifactBucket.name;
    config.models.forEach((m, i) => {
        const key = `models[${i}].s3Prefix`;
        const segments = m.s3Prefix.replace(/\/$/, "").split("/");
        if (segments[0] === bucket) {
            const rest = segments.slice(1).join("/");
            warnings.push(
                `WARNING: [${key}] "${m.s3Prefix}" begins with the bucket's own name ${bucket}; s3Prefix is a ` +
                    `key inside the bucket, so the ` +
                    `import reads s3://${bucket}/${m.s3Prefix}. If the weights are at s3://${bucket}/${rest ? `${rest}/` : ""}, ` +
                    `write s3Prefix: "${rest ? `${rest}/` : "<folder>/"}".`,
            );
        }
        const last = segments[segments.length - 1];
        if (ARTIFACT_FILE.test(last)) {
            const folder = segments.slice(0, -1).join("/");
            warnings.push(
                `WARNING: [${key}] "${m.s3Prefix}" names a file (${last}); s3Prefix is the folder that holds ` +
                    `config.json and the weights, ` +
                    `so the import would look for s3://${bucket}/${m.s3Prefix}config.json. Write s3Prefix: "${folder ? `${folder}/` : "<folder>/"}".`,
            );
        }
    });
    const keyArn = config.modelDevelopment.kms.keyArn;
    const key = keyArn ? parseKmsKeyArn(keyArn) : undefined;
    if (key && key.account !== config.modelDevelopment.accountId) {
        // Grants on a key of another account:
        // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
        warnings.push(
            `WARNING: [modelDevelopment.kms.keyArn] is a key of account ${key.account}, not of ` +
                `modelDevelopment.accountId ${config.modelDevelopment.accountId}. ` +
                `The stack creates its grant on that key with the development account's credentials, so the ` +
                `development deployer needs ` +
                `kms:CreateGrant, kms:RevokeGrant and kms:ListGrants on ${keyArn}, allowed both by the key ` +
                `policy in account ${key.account} and by the ` +
                `deployer's own IAM policy in account ${config.modelDevelopment.accountId} (cross-account key ` +
                `use needs both: ` +
                `https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).`,
        );
    }
    return warnings;
}

/**
 * Whether a `pulumi:disable-default-providers` value (a list, or the JSON text `pulumi config set` may write) names aws
 * or "*".
 */
function disablesAwsDefault(value: unknown): boolean {
    let list = value;
    if (typeof value === "string") {
        try {
            list = JSON.parse(value);
        } catch {
            list = [value];
        }
    }
    return Array.isArray(list) && list.some((p) => p === "aws" || p === "*");
}

/**
 * Warnings about the stack's settings outside the program's own keys (`map`: the stack's config merged over the
 * project's).
 * - Without `pulumi:disable-default-providers: [aws]`, a resource that forgot its explicit provider would be created
 *   with the ambient credentials, in whichever account they reach
 *   (https://www.pulumi.com/docs/iac/concepts/resources/providers/#disabling-default-providers).
 * - Both accounts on the default credential chain cannot be two accounts: one set of credentials belongs to one
 *   account.
 */
export function settingsWarnings(map: Record<string, unknown>, file: string, config: StackConfig): string[] {
    const warnings: string[] = [];
    if (!disablesAwsDefault(map["pulumi:disable-default-providers"])) {
        warnings.push(
            `WARNING: [pulumi:disable-default-providers] ${file} does not disable Pulumi's default AWS provider, ` +
                `so a resource without an explicit ` +
                `provider would use the ambient credentials. Add it: pulumi config set --path ` +
                `'pulumi:disable-default-providers[0]' aws ` +
                `(or set it once for every stack in Pulumi.yaml).`,
        );
    }
    const ambient = (a: { profile?: string; assumeRoleArn?: string }) => !a.profile && !a.assumeRoleArn;
    const { modelDevelopment: dev, modelHosting: host } = config;
    if (ambient(dev) && ambient(host) && dev.accountId !== host.accountId) {
        warnings.push(
            `WARNING: [modelHosting.profile] both accounts use the default credential chain, but ` +
                `modelDevelopment.accountId ${dev.accountId} and ` +
                `modelHosting.accountId ${host.accountId} differ: one set of credentials belongs to one account, ` +
                `so pulumi up fails its account check ` +
                `for the other. Set modelDevelopment.profile / modelHosting.profile (or assumeRoleArn) for at ` +
                `least one of them.`,
        );
    }
    return warnings;
}

interface OtherStack {
    stack: string;
    file: string;
    config: StackConfig;
}

/** The other stack files in the folder that are valid configs (invalid ones are `plan --stack <it>`'s business). */
export function otherStacks(stack: string, root: string): OtherStack[] {
    const out: OtherStack[] = [];
    for (const other of knownStacks(root).filter((s) => s !== stack)) {
        try {
            // Secret values get stand-ins unique to that stack: they match nothing, so no collision is claimed on them.
            const read = readStackConfig(other, root);
            const config = parseStackConfig(
                rawStackConfig(standInSecrets(read.map, other).map),
                parseOptionsFor(PROJECT, other),
            );
            out.push({ stack: other, file: read.file, config });
        } catch {
            // Not comparable; its own plan reports why.
        }
    }
    return out;
}

/**
 * Imported-model names are unique per account and region
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateModelImportJob.html, importedModelName), and each
 * model carries its stack's owner tag: the second stack's `up` fails before it writes. Names are only known here
 * without the stack's own hosting key (with it they follow the key's ARN, which differs per stack).
 */
function modelNameWarnings(stack: string, file: string, config: StackConfig, o: OtherStack): string[] {
    const names = (c: StackConfig) =>
        c.modelHosting.kms.enabled ? [] : c.models.map((_, i) => modelImportName(c, i, undefined));
    const theirs = new Set(names(o.config));
    return names(config).flatMap((name, i) =>
        theirs.has(name)
            ? [
                  `WARNING: [models[${i}].name] stack ${stack} (${file}) and stack ${o.stack} (${o.file}) both ` +
                      `import the model ${name} ` +
                      `(same name and artifacts) into hosting account ${config.modelHosting.accountId} (${config.modelHosting.region}); ` +
                      `names are unique per ` +
                      `account and region and each stack owns its models, so the second pulumi up fails. Give ` +
                      `one of them another models[].name.`,
              ]
            : [],
    );
}

/**
 * Two stacks deploying to one hosting account must not manage the same IAM role or policy: IAM names are unique per
 * account and not distinguished by case (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html). SSM parameter names are case-sensitive
 * and unique per account and region
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html), so equal pointer names in
 * one account and region collide.
 */
export function crossStackWarnings(
    stack: string,
    mine: string,
    config: StackConfig,
    others: readonly OtherStack[],
): string[] {
    const warnings: string[] = [];
    const host = config.modelHosting;
    for (const o of others.filter((x) => x.config.modelHosting.accountId === host.accountId)) {
        const theirs = o.config.modelHosting;
        for (const [key, a, b] of [
            ["executionRoleName", host.executionRoleName, theirs.executionRoleName],
            ["executionPolicyName", host.executionPolicyName, theirs.executionPolicyName],
        ] as const) {
            if (a.toLowerCase() !== b.toLowerCase()) continue;
            const how =
                a === b
                    ? `the same name ${a}`
                    : `names equal apart from case (${a} and ${b}), which IAM treats as one name`;
            warnings.push(
                `WARNING: [modelHosting.${key}] stack ${stack} (${mine}) and stack ${o.stack} (${o.file}) both ` +
                    `deploy to hosting account ${host.accountId} ` +
                    `with ${how}; IAM names are unique per account and not case-sensitive, so the second pulumi ` +
                    `up fails (EntityAlreadyExists) ` +
                    `or both stacks manage one ${key === "executionRoleName" ? "role" : "policy"}. Give one of ` +
                    `them another modelHosting.${key}.`,
            );
        }
        if (theirs.region !== host.region) continue;
        warnings.push(...modelNameWarnings(stack, mine, config, o));
        const theirPointers = new Set(o.config.models.map((m) => pointerParameterName(o.stack, m.name)));
        config.models.forEach((m, i) => {
            const pointer = pointerParameterName(stack, m.name);
            if (!theirPointers.has(pointer)) return;
            warnings.push(
                `WARNING: [models[${i}].name] stack ${stack} (${mine}) and stack ${o.stack} (${o.file}) both ` +
                    `write the SSM pointer ${pointer} in ` +
                    `account ${host.accountId} (${host.region}); each up would overwrite the other's live model ` +
                    `ARN. Rename the model or the stack.`,
            );
        });
    }
    return warnings;
}
