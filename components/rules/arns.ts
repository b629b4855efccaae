// ARNs the program accepts from config or inputs: IAM principals (roles and users, with paths), KMS keys.
// Pure.
// ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html

import { iamPathProblems } from "./names";
import { isAwsRegion, partitionOf, type Partition } from "./regions";
import { show } from "../util/show";

export interface PrincipalArn {
    partition: string;
    account: string;
    kind: "role" | "user" | "root" | "assumed-role" | "federated-user";
    /** IAM path ("/" when none); sessions carry none. */
    path: string;
    /** Role or user name; for a session, its role name. */
    name: string;
    /** For sessions: the session name. */
    session?: string;
}

/** Parses an IAM or STS principal ARN; undefined when it is not one. */
export function parsePrincipalArn(arn: string): PrincipalArn | undefined {
    const m = /^arn:([a-z-]+):(iam|sts)::(\d{12}):(.+)$/.exec(arn);
    if (!m) return undefined;
    const [, partition, service, account, resource] = m;
    if (service === "iam" && resource === "root") return { partition, account, kind: "root", path: "/", name: "root" };
    const iam = /^(role|user)(\/(?:[\x21-\x7E]*\/)?)?([\w+=,.@-]+)$/.exec(resource);
    if (service === "iam" && iam) {
        return { partition, account, kind: iam[1] as "role" | "user", path: iam[2] ?? "/", name: iam[3] };
    }
    const session = /^(assumed-role|federated-user)\/([\w+=,.@-]+)(?:\/(.+))?$/.exec(resource);
    if (service === "sts" && session) {
        return {
            partition,
            account,
            kind: session[1] as "assumed-role" | "federated-user",
            path: "/",
            name: session[2],
            ...(session[3] ? { session: session[3] } : {}),
        };
    }
    return undefined;
}

interface PrincipalExpectations {
    /** The partition of the stack's accounts: ARNs of another partition can never match. */
    partition: Partition;
    /** Require this account (e.g. the hosting account for the deployer role). */
    account?: string;
    /** Which kinds are acceptable. */
    kinds: ReadonlyArray<"role" | "user">;
    /** How to name the accepted kinds in messages. */
    what: string;
}

/**
 * Problems with an IAM role/user ARN from config. Session ARNs and the account root are refused with the
 * ARN to use instead: IAM evaluates aws:PrincipalArn of a session as its role's ARN, and the root entry
 * delegates to every principal of the account.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function principalArnProblems(arn: string, expect: PrincipalExpectations): string[] {
    const p = parsePrincipalArn(arn);
    const example = `arn:${expect.partition}:iam::${expect.account ?? "111122223333"}:role/<name>`;
    if (!p)
        return [`must be ${expect.what} like ${example} (role paths allowed: role/<path>/<name>), got ${show(arn)}`];
    if (p.kind === "assumed-role") {
        return [
            `is an STS session ARN; IAM matches a session by its role's ARN (aws:PrincipalArn). Use the role ARN ` +
                `arn:${p.partition}:iam::${p.account}:role/<path>${p.name} with the role's path if it has one ` +
                `(IAM Identity Center roles live under role/aws-reserved/sso.amazonaws.com/; \`aws iam get-role ` +
                `--role-name ${p.name}\` shows it)`,
        ];
    }
    if (p.kind === "federated-user")
        return [`is a federated-user session ARN; name the IAM role or user behind it instead (${example})`];
    if (p.kind === "root") {
        return [
            `is the account root, which stands for every principal account ${p.account} allows, not one person; ` +
                `name a role (${example}) instead`,
        ];
    }
    const problems: string[] = [];
    if (!expect.kinds.includes(p.kind)) problems.push(`must be ${expect.what}, got a ${p.kind} ARN ${show(arn)}`);
    if (p.partition !== expect.partition)
        problems.push(
            `is in partition ${p.partition}, but the stack's accounts are in ${expect.partition}; use arn:${expect.partition}:…`,
        );
    if (expect.account !== undefined && p.account !== expect.account)
        problems.push(`is in account ${p.account}; it must be in account ${expect.account}`);
    problems.push(...iamPathProblems(p.path));
    return problems;
}

// KMS key identifiers. https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id
const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KEY_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):alias\/[a-zA-Z0-9/_-]{1,250}$/;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

/** The key id in a key ARN or bare key id; undefined for aliases and anything else. */
export function kmsKeyId(value: string | undefined): string | undefined {
    if (!value) return undefined;
    const arn = KEY_ARN.exec(value);
    const id = arn ? arn[4] : value;
    return KEY_ID.test(id) ? id : undefined;
}

interface KmsKeyArn {
    partition: string;
    region: string;
    account: string;
    keyId: string;
}

export function parseKmsKeyArn(arn: string): KmsKeyArn | undefined {
    const m = KEY_ARN.exec(arn);
    return m && KEY_ID.test(m[4]) ? { partition: m[1], region: m[2], account: m[3], keyId: m[4] } : undefined;
}

/**
 * A key ARN (not an alias or id) for a key another account uses: KMS grants and cross-account use name the
 * key by ARN, and the key must be in the bucket's region (S3 uses a key of its own region).
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 */
export function kmsKeyArnProblems(arn: string, expect: { partition: Partition; region: string }): string[] {
    const k = parseKmsKeyArn(arn);
    if (!k)
        return [
            `must be a KMS key ARN like arn:${expect.partition}:kms:${expect.region}:111122223333:key/<key id> ` +
                `(not an alias or key id), got ${show(arn)}`,
        ];
    const problems: string[] = [];
    if (k.partition !== expect.partition)
        problems.push(`is in partition ${k.partition}, but the artifact bucket is in ${expect.partition}`);
    if (k.region !== expect.region)
        problems.push(
            `is a key in ${k.region}, but the artifact bucket is in ${expect.region}; S3 encrypts with keys of ` +
                `the bucket's own region`,
        );
    return problems;
}

/** A key reference Bedrock accepts for importedModelKmsKeyId: key ARN, key id, alias name or alias ARN. */
export function kmsKeyReferenceProblems(value: string, expect: { region?: string }): string[] {
    const arn = KEY_ARN.exec(value);
    if (arn) {
        if (!KEY_ID.test(arn[4])) return [`has an invalid key id ${show(arn[4])}`];
        if (expect.region && isAwsRegion(expect.region) && arn[2] !== expect.region) {
            return [
                `KMS keys are regional: the key must be in ${expect.region} (the import's region), got one in ` +
                    `${arn[2]}`,
            ];
        }
        if (expect.region && isAwsRegion(expect.region) && arn[1] !== partitionOf(expect.region))
            return [`is in partition ${arn[1]}, not ${partitionOf(expect.region)}`];
        return [];
    }
    if (KEY_ID.test(value) || ALIAS_NAME.test(value) || ALIAS_ARN.test(value)) return [];
    return [`must be a KMS key ARN, key id, alias name ("alias/<name>") or alias ARN, got ${show(value)}`];
}
