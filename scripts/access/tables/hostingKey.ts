// The hosting key that encrypts imported models (docs/access.md, item 5): the importing identity, the model invokers
// and the execution role use it only through Bedrock; nobody else uses it.

import { bedrockViaService, IMPORTER_KEY_ACTIONS } from "../../../components/policies/statements";
import { outsideGrant, statement, type AccessRow, type Subjects } from "../rows";

/** A request on the hosting key; ids are `kms.hosting.<id>`. */
type KeyRow = Omit<AccessRow, "resource" | "resourceAccount" | "resourcePolicy">;

/** The context keys KMS sees on requests Bedrock makes for a principal (the simulator does not fill them in). */
interface BedrockContext {
    viaBedrock: Record<string, string>;
    bedrockGrant: Record<string, string>;
    /** kms:ViaService for EC2 in the hosting region: a service other than Bedrock. */
    viaEc2: string;
}

/** The identity that calls CreateModelImportJob (modelHosting.assumeRoleArn), when known. */
function importerRows(s: Subjects, ctx: BedrockContext): KeyRow[] {
    const importer = s.p.importerArn;
    if (!importer) return [];
    const as = { principal: importer, identity: "importer" } as const;
    const useLook = [statement("hostingKeyPolicy", "importerUse")];
    const grantLook = [statement("hostingKeyPolicy", "importerBedrockGrant")];
    // The allowed rows keep the ids `kms.hosting.<action>`: they are the uses of the key the import needs.
    return [
        {
            id: "kms:CreateGrant",
            expect: "allowed",
            description:
                `The importing identity ${importer} lets Bedrock create its grant on the hosting key ` +
                `(CreateModelImportJob)`,
            action: "kms:CreateGrant",
            ...as,
            context: ctx.bedrockGrant,
            lookAt: grantLook,
        },
        ...IMPORTER_KEY_ACTIONS.map((action): KeyRow => ({
            id: action,
            expect: "allowed",
            description: `The importing identity ${importer} can ${action} with the hosting key through Bedrock`,
            action,
            ...as,
            context: ctx.viaBedrock,
            lookAt: useLook,
        })),
        {
            id: "importer.deny.create-grant-direct",
            expect: "denied",
            description:
                "The importing identity cannot create grants on the hosting key itself " +
                "(kms:GrantIsForAWSResource false)",
            action: "kms:CreateGrant",
            ...as,
            context: { ...ctx.viaBedrock, "kms:GrantIsForAWSResource": "false" },
            lookAt: grantLook,
        },
        {
            id: "importer.deny.create-grant-other-service",
            expect: "denied",
            description: "The importing identity cannot let another service (EC2) create grants on the hosting key",
            action: "kms:CreateGrant",
            ...as,
            context: { "kms:ViaService": ctx.viaEc2, "kms:GrantIsForAWSResource": "true" },
            lookAt: grantLook,
        },
        {
            id: "importer.deny.decrypt-direct",
            expect: "denied",
            description:
                "The importing identity cannot decrypt with the hosting key outside Bedrock (no kms:ViaService)",
            action: "kms:Decrypt",
            ...as,
            context: {},
            lookAt: useLook,
        },
    ];
}

/** The model invokers (modelHosting.kms.invokers). */
function invokerRows(s: Subjects, ctx: BedrockContext, key: string): KeyRow[] {
    const { p } = s;
    const lookAt = [statement("hostingKeyPolicy", "invokersDecrypt")];
    return [...new Set(p.invokers)].flatMap((invoker): KeyRow[] => {
        // The key policy names each invoker's role ARN: only an invoker of another account needs its own account's
        // grant.
        const own = outsideGrant(invoker, "kms:Decrypt", key, {
            resourceAccount: p.hostingAccountId,
            namesPrincipalItself: true,
            condition: `with kms:ViaService = ${bedrockViaService(p)}`,
        });
        return [
            {
                id: `invoker:${invoker}`,
                expect: "allowed",
                description:
                    `Model invoker ${invoker} can decrypt with the hosting key through Bedrock ` +
                    `(modelHosting.kms.invokers)${own.alsoNeeds ? `; ${own.alsoNeeds}` : ""}`,
                principal: invoker,
                action: "kms:Decrypt",
                context: ctx.viaBedrock,
                lookAt,
                ...own,
            },
            // With the same grant assumed, only the key policy's condition can refuse this.
            {
                id: `invoker-direct:${invoker}`,
                expect: "denied",
                description: `Model invoker ${invoker} cannot decrypt with the hosting key outside Bedrock (no kms:ViaService)`,
                principal: invoker,
                identity: own.identity,
                action: "kms:Decrypt",
                lookAt,
            },
        ];
    });
}

/**
 * The uses of the hosting key the execution role is allowed; ReEncrypt* and GenerateDataKey* in the documents stand for
 * these.
 */
const EXECUTION_ROLE_USES = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
];

/** Administration of the key, which the execution role may not do even through Bedrock. */
const ADMINISTRATION = ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey", "kms:RevokeGrant"];

/**
 * The execution role on the hosting key (components/policies, EXECUTION_ROLE_KEY_ACTIONS): every use the walkthrough
 * and the CMK page name, allowed through Bedrock; the same outside Bedrock, a grant for a non-AWS resource, and the
 * key's administration, denied.
 */
function executionRoleRows(ctx: BedrockContext): KeyRow[] {
    const lookAt = [statement("hostingKeyPolicy", "executionRoleUse"), statement("executionPolicy", "useHostingKey")];
    const grantLook = [
        statement("hostingKeyPolicy", "executionRoleLetBedrockGrant"),
        statement("executionPolicy", "letBedrockGrantHostingKey"),
    ];
    return [
        ...EXECUTION_ROLE_USES.map((action): KeyRow => ({
            id: `role:${action}`,
            expect: "allowed",
            description: `The execution role can ${action} with the hosting key through Bedrock`,
            action,
            context: ctx.viaBedrock,
            lookAt,
        })),
        {
            id: "role:kms:CreateGrant",
            expect: "allowed",
            description: "The execution role lets Bedrock create its grant on the hosting key",
            action: "kms:CreateGrant",
            context: ctx.bedrockGrant,
            lookAt: grantLook,
        },
        {
            id: "role.deny.decrypt-direct",
            expect: "denied",
            description: "The execution role cannot decrypt with the hosting key outside Bedrock (no kms:ViaService)",
            action: "kms:Decrypt",
            lookAt,
        },
        {
            id: "role.deny.encrypt-other-service",
            expect: "denied",
            description: "The execution role cannot use the hosting key through another service (EC2)",
            action: "kms:Encrypt",
            context: { "kms:ViaService": ctx.viaEc2 },
            lookAt,
        },
        {
            id: "role.deny.create-grant-direct",
            expect: "denied",
            description:
                "The execution role cannot create grants on the hosting key itself (kms:GrantIsForAWSResource false)",
            action: "kms:CreateGrant",
            context: { ...ctx.viaBedrock, "kms:GrantIsForAWSResource": "false" },
            lookAt: grantLook,
        },
        ...ADMINISTRATION.map((action): KeyRow => ({
            id: `deny.${action}`,
            expect: "denied",
            description: `The execution role cannot ${action} on the hosting key`,
            action,
            context: ctx.viaBedrock,
            lookAt: [{ document: "executionPolicy" }, { document: "hostingKeyPolicy" }],
        })),
    ];
}

/** Roles the key policy does not name. */
function outsiderRows(s: Subjects, ctx: BedrockContext): KeyRow[] {
    return [
        // The root statement delegates to IAM on purpose, so a hosting role with kms permissions of its own could use
        // the key; this row proves the key policy itself grants nothing to roles it does not name.
        {
            id: "other-hosting-role",
            expect: "denied",
            description:
                "Another role of the hosting account, without key permissions of its own, cannot decrypt with " +
                "the hosting key through Bedrock",
            principal: s.otherRole,
            identity: "none",
            action: "kms:Decrypt",
            context: ctx.viaBedrock,
            lookAt: [{ document: "hostingKeyPolicy" }],
        },
        {
            id: "third-account",
            expect: "denied",
            description: `A role with the same name in another account (${s.third}) cannot use the hosting key`,
            principal: s.sameNameElsewhere,
            identity: "broad",
            action: "kms:Decrypt",
            context: ctx.viaBedrock,
        },
    ];
}

export function hostingKeyRows(s: Subjects): AccessRow[] {
    const { p } = s;
    const key = p.hostingKeyArn;
    if (!key) return [];
    const viaBedrock = { "kms:ViaService": bedrockViaService(p) };
    const ctx: BedrockContext = {
        viaBedrock,
        bedrockGrant: { ...viaBedrock, "kms:GrantIsForAWSResource": "true" },
        viaEc2: `ec2.${p.hostingRegion}.amazonaws.com`,
    };
    const rows = [
        ...importerRows(s, ctx),
        ...invokerRows(s, ctx, key),
        ...executionRoleRows(ctx),
        ...outsiderRows(s, ctx),
    ];
    return rows.map((r) => ({
        ...r,
        id: `kms.hosting.${r.id}`,
        resource: key,
        resourceAccount: p.hostingAccountId,
        resourcePolicy: "hostingKeyPolicy",
    }));
}
