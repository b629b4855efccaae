// The access matrix: every access the scenario requires and every access it must refuse, evaluated by
// an IAM policy simulator over the five documents together (identity side and resource side).
// Used by the tests, `npm run plan` (synthesized documents) and `npm run verify-access` (deployed documents).
// The simulator (@cloud-copilot/iam-simulate, AGPL) is a devDependency: the Pulumi program never imports this.

import { getDenialReasons, getGrantReasons, runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { executionRoleArn } from "../../components/naming";
import { DEVELOPMENT_KEY_ACTIONS, IMPORTER_KEY_ACTIONS, bedrockViaService, bucketArn, type AccessParams } from "../../components/policies";
import type { PolicyDocument } from "../../components/policies/document";
import { AWS_REGIONS, partitionOf } from "../../components/rules";

/** The documents evaluated together; key policies only when the keys are enabled. */
export interface PolicySet {
    bucketPolicy: PolicyDocument;
    trustPolicy: PolicyDocument;
    executionPolicy: PolicyDocument;
    developmentKeyPolicy?: PolicyDocument;
    hostingKeyPolicy?: PolicyDocument;
}

/**
 * Identity policies the program does not deploy but a test or the README may want judged: the importing identity's
 * own IAM policy (importerIdentityPolicy, for a deployer the program does not know). Without it the importer rows show
 * what the key policy alone grants, which is what the plan and verify-access evaluate.
 */
export interface OutsideIdentities {
    importerIdentityPolicy?: PolicyDocument;
}

export type DocumentName = keyof PolicySet;
type Expectation = "allowed" | "denied";
type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error";

interface AccessCheck {
    id: string;
    expect: Expectation;
    description: string;
    principal: string;
    action: string;
    resource: string;
    resourceAccount: string;
    /** Where to look when the check fails: document and statement Sid. */
    lookAt: string[];
    /** Which documents take part, in simulator roles. */
    resourcePolicy?: DocumentName;
    identity: "execution" | "broad" | "ownPolicy" | "importer" | "none";
    /**
     * For a principal the stack names but does not manage (troubleshooting operator, model invoker): what its own
     * account must grant for the row to hold. The simulation assumes that grant (identity "ownPolicy").
     */
    alsoNeeds?: string;
    /**
     * A must-deny row that no policy of this program can enforce (development and hosting are one account, where an
     * identity policy alone grants access): why. Allowed is then reported as a limitation, not a failure.
     */
    unenforceable?: string;
    context: Record<string, string>;
}

export interface AccessResult extends AccessCheck {
    decision: Decision;
    ok: boolean;
    /** ok only because the row is unenforceable (see AccessCheck.unenforceable): a warning, not a pass. */
    limitation?: boolean;
    /** The statements the simulator names as granting or denying, e.g. "resource policy DenyInsecureTransport". */
    reasons: string[];
    error?: string;
}

const ALLOW_ALL: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "BroadAdministrator", Effect: "Allow", Action: "*", Resource: "*" }],
};

/** An account id different from both accounts, for "same role name elsewhere" and confused-deputy cases. */
function thirdAccount(p: AccessParams): string {
    for (const candidate of ["999999999999", "888888888888", "123456789012"]) {
        if (candidate !== p.developmentAccountId && candidate !== p.hostingAccountId) return candidate;
    }
    return "210987654321";
}

function otherRegion(p: AccessParams): string {
    const partition = partitionOf(p.hostingRegion);
    return AWS_REGIONS.find((r) => r !== p.hostingRegion && partitionOf(r) === partition) ?? p.hostingRegion;
}

/**
 * A KMS grant on the research team's existing key, as a key-policy document the simulator can evaluate: a grant
 * allows its grantee principal exactly its operations on that key, with no conditions
 * (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html). The key's own policy is the research
 * team's and not known offline; only what this stack adds is modelled.
 */
export function grantAsKeyPolicy(grant: { granteePrincipal: string; operations: readonly string[] }): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GrantToExecutionRole",
                Effect: "Allow",
                Principal: { AWS: grant.granteePrincipal },
                Action: grant.operations.map((o) => `kms:${o}`),
                Resource: "*",
            },
        ],
    };
}

/**
 * One rule for every principal the stack names but does not manage (troubleshooting operators, model invokers): the
 * resource's policy, which this program writes, is not enough when the principal is in another account than the resource
 * (cross-account access needs both sides, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)
 * or when the resource's statement names the principal's account root rather than the principal (the root delegates to
 * IAM policies of that account, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 * The principal's own account must then allow the action too: the row says what, and the simulation assumes it does.
 */
function outsideGrant(
    principal: string,
    action: string,
    resource: string,
    where: { resourceAccount: string; namesPrincipalItself: boolean; condition?: string },
): { identity: "ownPolicy" | "none"; alsoNeeds?: string } {
    const account = principal.split(":")[4];
    if (account === where.resourceAccount && where.namesPrincipalItself) return { identity: "none" };
    return {
        identity: "ownPolicy",
        alsoNeeds:
            `account ${account} must also allow ${action} on ${resource}${where.condition ? ` ${where.condition}` : ""} in the IAM policy of ${principal}` +
            (account === where.resourceAccount
                ? " (the statement here names the account, which delegates to IAM)"
                : " (cross-account access needs both sides)"),
    };
}

/** The checks for a set of access parameters; pure. */
function accessChecks(p: AccessParams): AccessCheck[] {
    const role = executionRoleArn(p);
    const bucket = bucketArn(p.partition, p.bucketName);
    const third = thirdAccount(p);
    const checks: AccessCheck[] = [];
    const secure = { "aws:SecureTransport": "true" };

    const asPrincipal = (principal: string) => ({
        "aws:PrincipalArn": principal,
        "aws:PrincipalAccount": principal.split(":")[4],
    });
    type RequestOptions = {
        principal?: string;
        identity?: AccessCheck["identity"];
        context?: Record<string, string>;
        lookAt?: string[];
        alsoNeeds?: string;
        unenforceable?: string;
    };
    // A request signed by an IAM principal (the execution role unless stated), with the context keys IAM fills in.
    const principalRequest = (
        id: string,
        expect: Expectation,
        description: string,
        action: string,
        resource: string,
        resourceAccount: string,
        resourcePolicy: DocumentName | undefined,
        opts: RequestOptions = {},
    ) => {
        const principal = opts.principal ?? role;
        checks.push({
            id,
            expect,
            description,
            principal,
            action,
            resource,
            resourceAccount,
            lookAt: opts.lookAt ?? [],
            ...(resourcePolicy ? { resourcePolicy } : {}),
            identity: opts.identity ?? "execution",
            context: { ...asPrincipal(principal), "aws:ResourceAccount": resourceAccount, ...secure, ...opts.context },
            ...(opts.alsoNeeds ? { alsoNeeds: opts.alsoNeeds } : {}),
            ...(opts.unenforceable ? { unenforceable: opts.unenforceable } : {}),
        });
    };
    const s3 = (
        id: string,
        expect: Expectation,
        description: string,
        action: string,
        resource: string,
        opts: RequestOptions & { resourceAccount?: string; bucketPolicyApplies?: boolean } = {},
    ) =>
        principalRequest(
            id,
            expect,
            description,
            action,
            resource,
            opts.resourceAccount ?? p.developmentAccountId,
            opts.bucketPolicyApplies === false ? undefined : "bucketPolicy",
            opts,
        );

    // ---- Bedrock assumes the execution role ----
    const bedrockAssume = (id: string, expect: Expectation, description: string, service: string, context: Record<string, string>) =>
        checks.push({
            id,
            expect,
            description,
            principal: service,
            action: "sts:AssumeRole",
            resource: role,
            resourceAccount: p.hostingAccountId,
            lookAt: ["trustPolicy:AllowBedrockModelImportJobs"],
            resourcePolicy: "trustPolicy",
            identity: "none",
            context,
        });
    const jobArn = (account: string, region: string, kind = "model-import-job") => `arn:${p.partition}:bedrock:${region}:${account}:${kind}/job0example`;
    bedrockAssume("trust.bedrock-import-job", "allowed", "Bedrock import jobs of the hosting account assume the execution role", "bedrock.amazonaws.com", {
        "aws:SourceAccount": p.hostingAccountId,
        "aws:SourceArn": jobArn(p.hostingAccountId, p.hostingRegion),
    });
    bedrockAssume("trust.other-account-job", "denied", `Bedrock acting for another account (${third}) cannot assume the role`, "bedrock.amazonaws.com", {
        "aws:SourceAccount": third,
        "aws:SourceArn": jobArn(third, p.hostingRegion),
    });
    bedrockAssume("trust.other-job-kind", "denied", "Bedrock model customization jobs cannot assume the role", "bedrock.amazonaws.com", {
        "aws:SourceAccount": p.hostingAccountId,
        "aws:SourceArn": jobArn(p.hostingAccountId, p.hostingRegion, "model-customization-job"),
    });
    bedrockAssume("trust.evaluation-job", "denied", "Bedrock evaluation jobs cannot assume the role", "bedrock.amazonaws.com", {
        "aws:SourceAccount": p.hostingAccountId,
        "aws:SourceArn": jobArn(p.hostingAccountId, p.hostingRegion, "evaluation-job"),
    });
    const region2 = otherRegion(p);
    if (region2 !== p.hostingRegion) {
        bedrockAssume("trust.other-region", "denied", `Bedrock import jobs in another region (${region2}) cannot assume the role`, "bedrock.amazonaws.com", {
            "aws:SourceAccount": p.hostingAccountId,
            "aws:SourceArn": jobArn(p.hostingAccountId, region2),
        });
    }
    bedrockAssume("trust.no-source", "denied", "Bedrock without source account and ARN (confused deputy) cannot assume the role", "bedrock.amazonaws.com", {});
    bedrockAssume("trust.other-service", "denied", "Another service (SageMaker) cannot assume the role", "sagemaker.amazonaws.com", {
        "aws:SourceAccount": p.hostingAccountId,
        "aws:SourceArn": jobArn(p.hostingAccountId, p.hostingRegion),
    });
    const stranger = `arn:${p.partition}:iam::${p.hostingAccountId}:role/NotAnOperator-${p.executionRoleName}`.slice(0, 200);
    principalRequest(
        "trust.other-principal",
        "denied",
        "Another role of the hosting account cannot assume the execution role",
        "sts:AssumeRole",
        role,
        p.hostingAccountId,
        "trustPolicy",
        {
            principal: stranger,
            identity: "broad",
            lookAt: ["trustPolicy"],
        },
    );
    for (const operator of p.allowAssumeFrom ?? []) {
        // The trust statement names each operator's account root (plus aws:PrincipalArn): the operator's account always grants too.
        const own = outsideGrant(operator, "sts:AssumeRole", role, { resourceAccount: p.hostingAccountId, namesPrincipalItself: false });
        principalRequest(
            `trust.operator:${operator}`,
            "allowed",
            `Troubleshooting operator ${operator} can assume the execution role (modelHosting.troubleshooting.allowAssumeFrom); ${own.alsoNeeds}`,
            "sts:AssumeRole",
            role,
            p.hostingAccountId,
            "trustPolicy",
            { principal: operator, lookAt: ["trustPolicy:AllowOperatorTroubleshooting"], ...own },
        );
    }

    // ---- the role reads the artifacts ----
    s3("s3.list-bucket", "allowed", "The execution role lists the artifact bucket", "s3:ListBucket", bucket, {
        lookAt: ["bucketPolicy:AllowBedrockExecutionRoleList", "executionPolicy:ListModelArtifactBucket"],
    });
    for (const prefix of [...new Set(p.modelPrefixes)]) {
        for (const file of ["config.json", "model-00001-of-00002.safetensors", "tokenizer.json"]) {
            s3(
                `s3.read:${prefix}${file}`,
                "allowed",
                `The execution role reads s3://${p.bucketName}/${prefix}${file}`,
                "s3:GetObject",
                `${bucket}/${prefix}${file}`,
                {
                    lookAt: ["bucketPolicy:AllowBedrockExecutionRoleReadModels", "executionPolicy:ReadModelArtifacts"],
                },
            );
        }
    }
    const firstPrefix = p.modelPrefixes[0] ?? "";
    const modelObject = `${bucket}/${firstPrefix}config.json`;
    s3("s3.write", "denied", "The execution role cannot write model artifacts", "s3:PutObject", modelObject);
    s3("s3.delete", "denied", "The execution role cannot delete model artifacts", "s3:DeleteObject", modelObject);
    s3("s3.put-bucket-policy", "denied", "The execution role cannot change the bucket policy", "s3:PutBucketPolicy", bucket);
    s3(
        "s3.read-outside-prefixes",
        "denied",
        "The execution role cannot read outside the model prefixes",
        "s3:GetObject",
        `${bucket}/not-a-model-prefix/config.json`,
        {
            lookAt: ["bucketPolicy:AllowBedrockExecutionRoleReadModels", "executionPolicy:ReadModelArtifacts"],
        },
    );
    const otherBucket = bucketArn(p.partition, `other-bucket-${p.developmentAccountId}`);
    s3(
        "s3.other-bucket-read",
        "denied",
        "The execution role cannot read another bucket of the development account",
        "s3:GetObject",
        `${otherBucket}/${firstPrefix}config.json`,
        {
            bucketPolicyApplies: false,
        },
    );
    s3("s3.other-bucket-list", "denied", "The execution role cannot list another bucket", "s3:ListBucket", otherBucket, { bucketPolicyApplies: false });
    s3(
        "s3.same-name-bucket-elsewhere",
        "denied",
        `The execution role cannot read a bucket of the same name owned by another account (${third})`,
        "s3:GetObject",
        modelObject,
        {
            resourceAccount: third,
            bucketPolicyApplies: false,
            lookAt: ["executionPolicy (aws:ResourceAccount condition)"],
        },
    );
    s3("s3.insecure-transport", "denied", "Reads without TLS are refused", "s3:GetObject", modelObject, {
        context: { "aws:SecureTransport": "false" },
        lookAt: ["bucketPolicy:DenyInsecureTransport"],
    });
    const otherRole = `arn:${p.partition}:iam::${p.hostingAccountId}:role/SomeOtherRole`;
    // Within one account an identity policy alone grants access (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html):
    // no bucket or key policy of this program can then keep out a role whose own policy allows everything.
    const oneAccount = (why: string) =>
        p.developmentAccountId === p.hostingAccountId
            ? {
                  unenforceable:
                      `development and hosting are one account (${p.hostingAccountId}): ${why}. Keep broad policies off that account's other roles ` +
                      `(or use two accounts).`,
              }
            : {};
    s3("s3.other-hosting-role", "denied", "Another role of the hosting account, even with s3:* on *, cannot read the artifacts", "s3:GetObject", modelObject, {
        principal: otherRole,
        identity: "broad",
        lookAt: ["bucketPolicy (aws:PrincipalArn condition)"],
        ...oneAccount("an identity policy alone grants S3 access there, and the bucket policy cannot refuse a role whose own policy allows it"),
    });
    const sameNameElsewhere = `arn:${p.partition}:iam::${third}:role/${p.executionRoleName}`;
    s3(
        "s3.same-role-name-third-account",
        "denied",
        `A role with the same name in another account (${third}) cannot read the artifacts`,
        "s3:GetObject",
        modelObject,
        {
            principal: sameNameElsewhere,
            identity: "broad",
            lookAt: ["bucketPolicy (principal and aws:PrincipalArn condition)"],
        },
    );
    s3(
        "s3.same-role-name-third-account-list",
        "denied",
        `A role with the same name in another account (${third}) cannot list the bucket`,
        "s3:ListBucket",
        bucket,
        {
            principal: sameNameElsewhere,
            identity: "broad",
        },
    );

    // ---- keys ----
    const kms = (
        id: string,
        expect: Expectation,
        description: string,
        action: string,
        keyArn: string,
        keyAccount: string,
        doc: DocumentName,
        opts: RequestOptions = {},
    ) => principalRequest(id, expect, description, action, keyArn, keyAccount, doc, opts);
    if (p.developmentKeyArn) {
        const key = p.developmentKeyArn;
        for (const action of DEVELOPMENT_KEY_ACTIONS) {
            kms(
                `kms.development.${action}`,
                "allowed",
                `The execution role can ${action} with the development key`,
                action,
                key,
                p.developmentAccountId,
                "developmentKeyPolicy",
                {
                    lookAt: ["developmentKeyPolicy:AllowBedrockExecutionRoleDecrypt", "executionPolicy:DecryptModelArtifacts"],
                },
            );
        }
        for (const action of ["kms:Encrypt", "kms:CreateGrant", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey"]) {
            kms(
                `kms.development.deny.${action}`,
                "denied",
                `The execution role cannot ${action} on the development key`,
                action,
                key,
                p.developmentAccountId,
                "developmentKeyPolicy",
            );
        }
        kms(
            "kms.development.other-hosting-role",
            "denied",
            "Another role of the hosting account cannot decrypt with the development key",
            "kms:Decrypt",
            key,
            p.developmentAccountId,
            "developmentKeyPolicy",
            {
                principal: otherRole,
                identity: "broad",
                ...oneAccount(
                    "the key policy's root statement (which keeps the key manageable) delegates to IAM policies there, so a role whose own policy allows kms:Decrypt can use the key",
                ),
            },
        );
        kms(
            "kms.development.same-role-name-third-account",
            "denied",
            `A role with the same name in another account (${third}) cannot decrypt`,
            "kms:Decrypt",
            key,
            p.developmentAccountId,
            "developmentKeyPolicy",
            {
                principal: sameNameElsewhere,
                identity: "broad",
            },
        );
    }
    if (p.hostingKeyArn) {
        const key = p.hostingKeyArn;
        // KMS sees these context keys on requests Bedrock makes for a principal (the simulator does not fill them in).
        const viaBedrock = { "kms:ViaService": bedrockViaService(p) };
        const bedrockGrant = { ...viaBedrock, "kms:GrantIsForAWSResource": "true" };
        const hostingKms = (id: string, expect: Expectation, description: string, action: string, opts: RequestOptions = {}) =>
            kms(`kms.hosting.${id}`, expect, description, action, key, p.hostingAccountId, "hostingKeyPolicy", opts);

        if (p.importerArn) {
            const importer = p.importerArn;
            const asImporter = (context: Record<string, string>, lookAt: string[]): RequestOptions => ({
                principal: importer,
                identity: "importer",
                context,
                lookAt,
            });
            const useLook = ["hostingKeyPolicy:AllowModelImporterUseThroughBedrock"];
            const grantLook = ["hostingKeyPolicy:AllowModelImporterBedrockGrant"];
            // The allowed rows keep the ids `kms.hosting.<action>`: they are the uses of the key the import needs.
            hostingKms(
                "kms:CreateGrant",
                "allowed",
                `The importing identity ${importer} lets Bedrock create its grant on the hosting key (CreateModelImportJob)`,
                "kms:CreateGrant",
                asImporter(bedrockGrant, grantLook),
            );
            for (const action of IMPORTER_KEY_ACTIONS) {
                hostingKms(
                    action,
                    "allowed",
                    `The importing identity ${importer} can ${action} with the hosting key through Bedrock`,
                    action,
                    asImporter(viaBedrock, useLook),
                );
            }
            hostingKms(
                "importer.deny.create-grant-direct",
                "denied",
                "The importing identity cannot create grants on the hosting key itself (kms:GrantIsForAWSResource false)",
                "kms:CreateGrant",
                asImporter({ ...viaBedrock, "kms:GrantIsForAWSResource": "false" }, grantLook),
            );
            hostingKms(
                "importer.deny.create-grant-other-service",
                "denied",
                "The importing identity cannot let another service (EC2) create grants on the hosting key",
                "kms:CreateGrant",
                asImporter({ "kms:ViaService": `ec2.${p.hostingRegion}.amazonaws.com`, "kms:GrantIsForAWSResource": "true" }, grantLook),
            );
            hostingKms(
                "importer.deny.decrypt-direct",
                "denied",
                "The importing identity cannot decrypt with the hosting key outside Bedrock (no kms:ViaService)",
                "kms:Decrypt",
                asImporter({}, useLook),
            );
        }
        for (const invoker of [...new Set(p.invokers)]) {
            const lookAt = ["hostingKeyPolicy:AllowModelInvokersDecryptThroughBedrock"];
            // The key policy names each invoker's role ARN: only an invoker of another account needs its own account's grant.
            const own = outsideGrant(invoker, "kms:Decrypt", key, {
                resourceAccount: p.hostingAccountId,
                namesPrincipalItself: true,
                condition: `with kms:ViaService = ${bedrockViaService(p)}`,
            });
            hostingKms(
                `invoker:${invoker}`,
                "allowed",
                `Model invoker ${invoker} can decrypt with the hosting key through Bedrock (modelHosting.kms.invokers)${own.alsoNeeds ? `; ${own.alsoNeeds}` : ""}`,
                "kms:Decrypt",
                { principal: invoker, context: viaBedrock, lookAt, ...own },
            );
            // With the same grant assumed, only the key policy's condition can refuse this.
            hostingKms(
                `invoker-direct:${invoker}`,
                "denied",
                `Model invoker ${invoker} cannot decrypt with the hosting key outside Bedrock (no kms:ViaService)`,
                "kms:Decrypt",
                { principal: invoker, identity: own.identity, lookAt },
            );
        }
        executionRoleHostingKeyChecks(p, hostingKms, { viaBedrock, bedrockGrant });
        // The root statement delegates to IAM on purpose, so a hosting role with kms permissions of its own could use
        // the key; this row proves the key policy itself grants nothing to roles it does not name.
        hostingKms(
            "other-hosting-role",
            "denied",
            "Another role of the hosting account, without key permissions of its own, cannot decrypt with the hosting key through Bedrock",
            "kms:Decrypt",
            { principal: otherRole, identity: "none", context: viaBedrock, lookAt: ["hostingKeyPolicy"] },
        );
        hostingKms("third-account", "denied", `A role with the same name in another account (${third}) cannot use the hosting key`, "kms:Decrypt", {
            principal: sameNameElsewhere,
            identity: "broad",
            context: viaBedrock,
        });
    }
    return checks;
}

type HostingKeyCheck = (
    id: string,
    expect: Expectation,
    description: string,
    action: string,
    opts?: { context?: Record<string, string>; lookAt?: string[] },
) => void;

/**
 * The execution role on the hosting key (policies.ts, EXECUTION_ROLE_KEY_ACTIONS): every use the walkthrough and the CMK
 * page name, allowed through Bedrock; the same outside Bedrock, a grant for a non-AWS resource, and the key's
 * administration, denied.
 */
function executionRoleHostingKeyChecks(
    p: AccessParams,
    check: HostingKeyCheck,
    ctx: { viaBedrock: Record<string, string>; bedrockGrant: Record<string, string> },
): void {
    const lookAt = ["hostingKeyPolicy:AllowBedrockExecutionRoleUseImportedModelKeyThroughBedrock", "executionPolicy:UseImportedModelKeyThroughBedrock"];
    const grantLook = [
        "hostingKeyPolicy:AllowBedrockExecutionRoleLetBedrockGrantItselfImportedModelKey",
        "executionPolicy:LetBedrockGrantItselfImportedModelKey",
    ];
    // ReEncrypt* and GenerateDataKey* in the documents stand for these actions.
    for (const action of [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:DescribeKey",
    ]) {
        check(`role:${action}`, "allowed", `The execution role can ${action} with the hosting key through Bedrock`, action, {
            context: ctx.viaBedrock,
            lookAt,
        });
    }
    check("role:kms:CreateGrant", "allowed", "The execution role lets Bedrock create its grant on the hosting key", "kms:CreateGrant", {
        context: ctx.bedrockGrant,
        lookAt: grantLook,
    });
    check("role.deny.decrypt-direct", "denied", "The execution role cannot decrypt with the hosting key outside Bedrock (no kms:ViaService)", "kms:Decrypt", {
        lookAt,
    });
    check("role.deny.encrypt-other-service", "denied", "The execution role cannot use the hosting key through another service (EC2)", "kms:Encrypt", {
        context: { "kms:ViaService": `ec2.${p.hostingRegion}.amazonaws.com` },
        lookAt,
    });
    check(
        "role.deny.create-grant-direct",
        "denied",
        "The execution role cannot create grants on the hosting key itself (kms:GrantIsForAWSResource false)",
        "kms:CreateGrant",
        { context: { ...ctx.viaBedrock, "kms:GrantIsForAWSResource": "false" }, lookAt: grantLook },
    );
    // Even through Bedrock the role may not administer the key.
    for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey", "kms:RevokeGrant"]) {
        check(`deny.${action}`, "denied", `The execution role cannot ${action} on the hosting key`, action, {
            context: ctx.viaBedrock,
            lookAt: ["executionPolicy", "hostingKeyPolicy"],
        });
    }
}

function identityPolicies(check: AccessCheck, docs: PolicySet, outside: OutsideIdentities): Simulation["identityPolicies"] {
    switch (check.identity) {
        case "execution":
            return [{ name: "executionPolicy", policy: docs.executionPolicy }];
        case "broad":
            return [{ name: "BroadAdministrator", policy: ALLOW_ALL }];
        case "ownPolicy":
            // What the principal's own account must grant (check.alsoNeeds); assumed, so the row isolates this program's documents.
            return [
                {
                    name: "OwnAccountAllows",
                    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: check.action, Resource: check.resource }] },
                },
            ];
        case "importer":
            return outside.importerIdentityPolicy ? [{ name: "importerIdentityPolicy", policy: outside.importerIdentityPolicy }] : [];
        case "none":
            return [];
    }
}

function describeReason(
    r: { policyType: string; policyIdentifier?: string; statementId?: string; statementIndex?: number; identifier?: string },
    check: AccessCheck,
): string {
    const where =
        r.policyType === "resource"
            ? (check.resourcePolicy ?? "resource policy")
            : r.policyType === "identity"
              ? (r.policyIdentifier ?? "identity policy")
              : r.policyType;
    const statement = r.statementId ?? (r.statementIndex !== undefined ? `statement #${r.statementIndex + 1}` : "no matching Allow");
    return `${where}: ${statement}`;
}

async function evaluateCheck(check: AccessCheck, docs: PolicySet, outside: OutsideIdentities = {}): Promise<AccessResult> {
    const resourcePolicy = check.resourcePolicy ? docs[check.resourcePolicy] : undefined;
    if (check.resourcePolicy && !resourcePolicy) {
        return { ...check, decision: "Error", ok: false, reasons: [], error: `${check.resourcePolicy} is missing` };
    }
    const simulation: Simulation = {
        identityPolicies: identityPolicies(check, docs, outside),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy ? { resourcePolicy } : {}),
        request: {
            principal: check.principal,
            action: check.action,
            resource: { accountId: check.resourceAccount, resource: check.resource },
            contextVariables: check.context,
        },
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") {
        return { ...check, decision: "Error", ok: false, reasons: [], error: result.errors.message };
    }
    const decision = result.overallResult;
    const analysis = result.resultType === "single" ? result.result.analysis : result.results[0]?.analysis;
    const reasons = analysis
        ? decision === "Allowed"
            ? getGrantReasons(analysis).map((r) => describeReason(r, check))
            : getDenialReasons(analysis).map((r) => describeReason(r, check))
        : [];
    const limitation = check.expect === "denied" && decision === "Allowed" && check.unenforceable !== undefined;
    const ok = limitation || (check.expect === "allowed" ? decision === "Allowed" : decision !== "Allowed");
    return { ...check, decision, ok, reasons, ...(limitation ? { limitation } : {}) };
}

export async function evaluateAccess(p: AccessParams, docs: PolicySet, outside: OutsideIdentities = {}): Promise<AccessResult[]> {
    const results: AccessResult[] = [];
    for (const check of accessChecks(p)) results.push(await evaluateCheck(check, docs, outside));
    return results;
}

/** One line per check, ✔ when as it should be; failing lines name what was decided and where to look. */
export function formatMatrix(results: readonly AccessResult[]): string {
    const lines: string[] = [];
    for (const r of results) {
        const mark = r.limitation ? "⚠" : r.ok ? "✔" : "✘";
        const want = r.limitation ? "must be denied, cannot be in one account" : r.expect === "allowed" ? "must be allowed" : "must be denied";
        lines.push(`${mark} [${want}] ${r.description}`);
        if (r.limitation) lines.push(`    ${r.unenforceable}`);
        if (!r.ok) {
            lines.push(`    ${r.action} by ${r.principal} on ${r.resource}: ${r.error ?? r.decision}`);
            if (r.reasons.length) lines.push(`    decided by: ${r.reasons.join("; ")}`);
            if (r.lookAt.length) lines.push(`    look at: ${r.lookAt.join(", ")}`);
        }
    }
    const failed = results.filter((r) => !r.ok).length;
    const limited = results.filter((r) => r.limitation).length;
    const note = limited ? ` ${limited} must-deny row${limited === 1 ? "" : "s"} cannot be enforced within one account (⚠).` : "";
    lines.push(
        (failed === 0
            ? `All ${results.length} access checks are as they should be.`
            : `${failed} of ${results.length} access checks are NOT as they should be.`) + note,
    );
    return lines.join("\n");
}
