// Every name the program derives from the project, the stack and the config, in one place: the component's name, the
// owner and default tags, the Sid prefix of its statements in the shared bucket policy, the KMS aliases and the
// research-key grant, the STS session name, the SSM pointers, the execution role's and policy's ARNs, and the Pulumi
// names of the component's resources. index.ts derives them once and passes them to the component; `plan` and
// `verify-access` call the same functions, so what they look for is what the program registers. The imported models'
// versioned names and the two tags the imported-model provider sets on them are here too. Pure; the AWS rules the names
// must follow are the rulebook's (components/rules). The import jobs' names are derived at run time by the
// imported-model provider (components/dynamic/importedModel/naming.ts): they carry the attempt number.

import { sha256Hex } from "./util/hash";
import { IMPORTED_MODEL_NAME_MAX, JOB_NAME_MAX, kmsAliasNameFor, kmsGrantNameFor, sessionNameFor } from "./rules";

/**
 * The Pulumi project (Pulumi.yaml's `name`), which is also the namespace of the stack config keys
 * (config/namespace.ts).
 */
export const PROJECT = "bedrock-cross-account-import";

/** The component's Pulumi type token. */
export const COMPONENT_TYPE = "bedrock-cmi:index:CrossAccountModelImport";

/** Every derived Sid prefix starts with this, so people reading the bucket policy see who wrote the statement. */
const SID_PREFIX_BASE = "BedrockCmi";
/** Hex characters of the hash in a derived Sid prefix. */
const SID_PREFIX_HASH_LENGTH = 8;
/** Characters of the stack name kept in a derived Sid prefix (for people; uniqueness comes from the hash). */
const STACK_PART_MAX = 24;

/** "prod-eu_2" → "ProdEu2": Sids allow only letters and digits. */
function pascalAlnum(text: string): string {
    return text
        .split(/[^A-Za-z0-9]+/)
        .filter((part) => part !== "")
        .map((part) => part[0].toUpperCase() + part.slice(1))
        .join("");
}

/**
 * Where a stack deploys, beyond its project and stack name: two teams' `prod` stacks (other hosting accounts, other
 * Pulumi organizations) are other deployments and must never share a Sid prefix or an owner.
 */
export interface Deployment {
    hostingAccountId: string;
    /** `pulumi.getOrganization()`; a backend without organizations (file, S3) reports DEFAULT_ORGANIZATION. */
    organization?: string;
}

/** The deployment of a stack config (its hosting account), in the organization the engine names, if any. */
export function deploymentOf(config: { modelHosting: { accountId: string } }, organization?: string): Deployment {
    return { hostingAccountId: config.modelHosting.accountId, ...(organization !== undefined ? { organization } : {}) };
}

/** What `pulumi.getOrganization()` answers on a backend without organizations: it tells no deployments apart. */
const DEFAULT_ORGANIZATION = "organization";

function organizationOf(deployment: Deployment): string | undefined {
    const org = deployment.organization;
    return org && org !== DEFAULT_ORGANIZATION ? org : undefined;
}

/**
 * The Sid prefix of one component in one stack: "BedrockCmi" + 8 hex characters of a hash of (project, stack,
 * component, and the deployment's hosting account and organization) + the stack name in letters and digits, e.g.
 * "BedrockCmi1f3a9c0bProd". Without `deployment`: the deployment-less prefix, which the statements of
 * stacks last deployed without it carry (the next `up` replaces them).
 *
 * The hash comes right after the fixed base, at a fixed position, so one derived prefix can only be the start of
 * another if their hashes are equal: a stack named "dev" can never claim the statements of a stack named
 * "dev2abc…", which a "base + stack + hash" layout would allow. The stack name follows for people reading the policy.
 */
export function sidPrefixFor(project: string, stack: string, component: string, deployment?: Deployment): string {
    const where = deployment ? [deployment.hostingAccountId, organizationOf(deployment) ?? ""] : [];
    const hash = sha256Hex(JSON.stringify([project, stack, component, ...where])).slice(0, SID_PREFIX_HASH_LENGTH);
    return `${SID_PREFIX_BASE}${hash}${pascalAlnum(stack).slice(0, STACK_PART_MAX)}`;
}

/** The path under which every model pointer of every stack lives (the deployer's SSM permissions name it). */
export const POINTER_PATH = "/bedrock-cmi/";

/**
 * The SSM parameter holding a model's live ARN: `/bedrock-cmi/<stack>/<model>/model-arn`. SSM names allow
 * a-zA-Z0-9_.-/, at most 15 levels, must not start with "aws" or "ssm", and are at most 1011 characters
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html); stack and
 * imported-model names stay within that set.
 */
export function pointerParameterName(stack: string, configModelName: string): string {
    return `${POINTER_PATH}${stack.replace(/[^a-zA-Z0-9_.-]/g, "-")}/${configModelName}/model-arn`;
}

/** The job name of the by-hand `create-model-import-job` command the stack prints: no "_", at most 63 characters. */
export function manualJobName(modelName: string): string {
    const suffix = "-manual-1";
    return `${modelName
        .replace(/_/g, "-")
        .slice(0, JOB_NAME_MAX - suffix.length)
        .replace(/-+$/, "")}${suffix}`;
}

interface RoleAccount {
    partition: string;
    hostingAccountId: string;
}

export function executionRoleArn(p: RoleAccount & { executionRoleName: string }): string {
    return `arn:${p.partition}:iam::${p.hostingAccountId}:role/${p.executionRoleName}`;
}

export function executionPolicyArn(p: RoleAccount & { executionPolicyName: string }): string {
    return `arn:${p.partition}:iam::${p.hostingAccountId}:policy/${p.executionPolicyName}`;
}

/**
 * The base of every Pulumi (logical) name of the component and its resources. It does not name the stack: a stack
 * renamed with `pulumi stack rename` keeps every resource (URNs carry the stack themselves). Stacks deployed when
 * logical names started with the component's name (`bedrock-cmi-<stack>`) are carried over by aliases
 * (components/crossAccountImport/legacyNames.ts). Physical names (key aliases, grant, session) still name the stack.
 */
export const RESOURCE_BASE = "bedrock-cmi";

/** The Pulumi names of the component's resources (the model-specific ones take the config model name). */
export interface ResourceNames {
    component: string;
    developmentKey: string;
    developmentKeyAlias: string;
    bucket: string;
    bucketPublicAccess: string;
    bucketOwnership: string;
    bucketEncryption: string;
    bucketVersioning: string;
    bucketPolicy: string;
    hostingKey: string;
    hostingKeyAlias: string;
    executionRole: string;
    executionPolicy: string;
    executionPolicyAttachment: string;
    researchKeyGrant: string;
    importSweeper: string;
    model(configModelName: string): string;
    pointer(configModelName: string): string;
}

export function resourceNames(component: string): ResourceNames {
    return {
        component,
        developmentKey: `${component}-artifacts-key`,
        developmentKeyAlias: `${component}-artifacts-key-alias`,
        bucket: `${component}-artifacts`,
        bucketPublicAccess: `${component}-artifacts-public-access`,
        bucketOwnership: `${component}-artifacts-ownership`,
        bucketEncryption: `${component}-artifacts-encryption`,
        bucketVersioning: `${component}-artifacts-versioning`,
        bucketPolicy: `${component}-artifacts-policy`,
        hostingKey: `${component}-imported-models-key`,
        hostingKeyAlias: `${component}-imported-models-key-alias`,
        executionRole: `${component}-execution-role`,
        executionPolicy: `${component}-execution-policy`,
        executionPolicyAttachment: `${component}-execution-policy-attachment`,
        researchKeyGrant: `${component}-artifacts-key-grant`,
        importSweeper: `${component}-import-sweeper`,
        model: (m) => `${component}-${m}`,
        pointer: (m) => `${component}-${m}-pointer`,
    };
}

/** The names of one stack. */
export interface StackNames {
    project: string;
    stack: string;
    /**
     * The component's name; the Sid prefix, the aliases, the grant and the resource names (resourceNames) derive from
     * it.
     */
    component: string;
    /**
     * `[<org>/]<project>/<stack>@<hosting account>` (ownerOf): the owner tag (bedrock-cmi:owner) of the stack's
     * imported models and part of their job-name hash.
     */
    owner: string;
    /** Tags every taggable AWS resource gets through the providers' defaultTags (and the imported models directly). */
    defaultTags: Record<string, string>;
    /** What the program adds to every imported model's tags, so the config validator counts it against Bedrock's 50. */
    addedModelTags: Record<string, string>;
    /** The prefix of every Sid of this stack's statements in the shared bucket policy. */
    sidPrefix: string;
    /** The STS session name of the stack's deployer sessions (stack names can be longer than STS allows). */
    sessionName: string;
    keyAliases: { development: string; hosting: string };
    /** The name of the grant the stack adds on the research team's key for its execution role. */
    researchKeyGrant: string;
}

/** The component's name in a stack. */
function componentNameFor(stack: string): string {
    return `bedrock-cmi-${stack}`;
}

/**
 * The owner of a deployment's models: `[<org>/]<project>/<stack>@<hosting account>`. Without `deployment`, the
 * deployment-less form `<project>/<stack>` that some models' tags carry: the providers still recognise it as the same
 * owner (sameOwner).
 */
export function ownerOf(project: string, stack: string, deployment?: Deployment): string {
    const base = `${project}/${stack}`;
    if (!deployment) return base;
    const org = organizationOf(deployment);
    return `${org ? `${org}/` : ""}${base}@${deployment.hostingAccountId}`;
}

export function defaultTags(project: string, stack: string): Record<string, string> {
    return { ManagedBy: "pulumi", PulumiProject: project, PulumiStack: stack };
}

/** The names of a stack; `deployment` omitted: the deployment-less owner and Sid prefix (sidPrefixFor, ownerOf). */
export function stackNames(project: string, stack: string, deployment?: Deployment): StackNames {
    const component = componentNameFor(stack);
    const owner = ownerOf(project, stack, deployment);
    const tags = defaultTags(project, stack);
    const aliasBase = kmsAliasNameFor(component);
    return {
        project,
        stack,
        component,
        owner,
        defaultTags: tags,
        addedModelTags: { ...tags, [OWNER_TAG_KEY]: owner, [ENTRY_TAG_KEY]: ENTRY_TAG_PLACEHOLDER },
        sidPrefix: sidPrefixFor(project, stack, component, deployment),
        sessionName: sessionNameFor(component),
        keyAliases: { development: `${aliasBase}-artifacts`, hosting: `${aliasBase}-imported-models` },
        researchKeyGrant: kmsGrantNameFor(`${component}-execution-role`),
    };
}

/** The tag naming the stack that owns an import job and its model. */
export const OWNER_TAG_KEY = "bedrock-cmi:owner";

/**
 * The tag naming the one state entry that holds a model (a random token per entry, kept in its outputs). The engine can
 * hold one model in two entries: a replacement whose create adopts the model of an entry pending deletion (a rollback
 * after a failed rollout). Whoever holds the model last tags it; a delete leaves a model tagged for another entry.
 */
export const ENTRY_TAG_KEY = "bedrock-cmi:entry";

/** How messages show the entry tag's value before the provider draws it. */
export const ENTRY_TAG_PLACEHOLDER = "<a token per state entry>";

// Versioned imported-model names: each config model's Bedrock name is its config name plus a short version derived
// from what defines the import, so new artifacts become a new imported model next to the old one (created first,
// then the pointer moves, then the old one is deleted) instead of a delete-first replacement of the same name.
// AWS's own advice for model versions is "descriptive S3 paths or dated job names"; this makes the name follow.

/** Hex characters of the version suffix. */
const MODEL_VERSION_LENGTH = 6;
/** The longest config model name: Bedrock's 63 less "-" and the version. */
export const MAX_CONFIG_MODEL_NAME = IMPORTED_MODEL_NAME_MAX - 1 - MODEL_VERSION_LENGTH;

/** What defines an import: where the artifacts are, and which key encrypts the model. */
export interface ModelVersionIdentity {
    s3Uri: string;
    /**
     * "aws-owned", or the ARN of the stack's hosting key: a new key (replaced, or recreated after it was scheduled for
     * deletion) is a new name, so its re-import is created before the old model is deleted.
     */
    modelKey: string;
}

/** The model key Bedrock uses when the stack has no hosting key. */
export const AWS_OWNED_KEY = "aws-owned";

/**
 * The key part of legacy versioned names for the stack's hosting key (its ARN is the key part now). A model named with
 * it keeps its name while its key stays the same (the provider's diff, components/dynamic/importedModel/naming.ts); a
 * new key renames it.
 */
export const LEGACY_STACK_KEY = "stack-hosting-key";

function modelVersion(identity: ModelVersionIdentity): string {
    return sha256Hex(JSON.stringify([identity.s3Uri, identity.modelKey])).slice(0, MODEL_VERSION_LENGTH);
}

/** `<config name>-<version>`, at most 63 characters for config names the validator accepts. */
export function versionedModelName(configName: string, identity: ModelVersionIdentity): string {
    return `${configName}-${modelVersion(identity)}`;
}
