// The one in-memory model of STS the fakes share: who an access key is (an IAM user, or a session of a role), and
// sessions made by AssumeRole. Whether a caller may assume a role is not judged here: the IAM policy simulator decides
// it from the role's trust policy, which the adapter's IAM model supplies.
import { randomBytes } from "node:crypto";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../components/policies/document";
import type { FakeError } from "./bedrock";

export interface FakeIdentity {
    account: string;
    /** The caller ARN GetCallerIdentity returns (a user, or an sts assumed-role session). */
    arn: string;
    /** The principal ARN policies see (aws:PrincipalArn): the role ARN, with its path, for an assumed-role session. */
    principalArn: string;
    secretAccessKey: string;
}

export interface FakeSession {
    accessKeyId: string;
    secretAccessKey: string;
    arn: string;
    assumedRoleId: string;
    expiration: Date;
}

// The fakes model callers as administrators of their own account (they judge no identity policy anywhere else), so
// the role's trust policy is what decides; cross-account, IAM still needs both sides to allow, and the simulator knows.
const CALLER_IDENTITY_POLICY: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "AdministratorOfOwnAccount", Effect: "Allow", Action: "*", Resource: "*" }],
};

/** Account id and name of a role ARN (with or without a path). */
function parseRoleArn(roleArn: string): { account: string; name: string } {
    const role = /^arn:aws:iam::([0-9]{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    if (!role)
        throw { status: 400, type: "ValidationError", message: `Invalid RoleArn ${roleArn}` } satisfies FakeError;
    return { account: role[1], name: role[2] };
}

export class FakeSts {
    /** Access key id -> identity. */
    readonly identities = new Map<string, FakeIdentity>();

    /**
     * `trustPolicyOf`: the trust policy (JSON) of a role ARN as the adapter's IAM holds it; undefined: no such role.
     */
    constructor(private readonly trustPolicyOf: (roleArn: string) => string | undefined) {}

    /** Long-term credentials of an IAM user; returns the access key id. */
    addUser(account: string, userName: string, accessKeyId: string, secretAccessKey = "stub-secret"): string {
        const arn = `arn:aws:iam::${account}:user/${userName}`;
        this.identities.set(accessKeyId, { account, arn, principalArn: arn, secretAccessKey });
        return accessKeyId;
    }

    /**
     * Credentials of a session of `roleArn` made outside this model (e.g. an IAM Identity Center sign-in); returns the
     * access key id. Like AWS, the session ARN has no path and aws:PrincipalArn is the role ARN with it.
     */
    addRoleSession(roleArn: string, sessionName: string, accessKeyId: string, secretAccessKey = "stub-secret"): string {
        const role = parseRoleArn(roleArn);
        const arn = `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`;
        this.identities.set(accessKeyId, { account: role.account, arn, principalArn: roleArn, secretAccessKey });
        return accessKeyId;
    }

    /** GetCallerIdentity for the key that signed the request. */
    callerIdentity(accessKeyId: string): { Account: string; Arn: string; UserId: string } {
        const caller = this.mustCaller(accessKeyId);
        return { Account: caller.account, Arn: caller.arn, UserId: `AIDA${caller.account}` };
    }

    /**
     * AssumeRole: if the simulator allows it under the role's trust policy, a session reachable with the returned key.
     */
    async assumeRole(accessKeyId: string, roleArn: string, sessionName: string): Promise<FakeSession> {
        const caller = this.mustCaller(accessKeyId);
        const role = parseRoleArn(roleArn);
        const trust = this.trustPolicyOf(roleArn);
        if (trust === undefined || !(await this.trustAllows(caller, roleArn, role.account, trust))) {
            throw {
                status: 403,
                type: "AccessDenied",
                message: `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
            } satisfies FakeError;
        }
        const session = `ASIA${randomBytes(8).toString("hex").toUpperCase()}`;
        this.addRoleSession(roleArn, sessionName, session, "assumed-secret");
        return {
            accessKeyId: session,
            secretAccessKey: "assumed-secret",
            arn: this.identities.get(session)!.arn,
            assumedRoleId: `AROA${role.account}:${sessionName}`,
            expiration: new Date(Date.now() + 3600_000),
        };
    }

    private async trustAllows(
        caller: FakeIdentity,
        roleArn: string,
        roleAccount: string,
        trust: string,
    ): Promise<boolean> {
        const result = await runSimulation(
            {
                identityPolicies: [{ name: CALLER_IDENTITY_POLICY.Statement[0].Sid!, policy: CALLER_IDENTITY_POLICY }],
                serviceControlPolicies: [],
                resourceControlPolicies: [],
                resourcePolicy: JSON.parse(trust) as PolicyDocument,
                request: {
                    principal: caller.arn,
                    action: "sts:AssumeRole",
                    resource: { accountId: roleAccount, resource: roleArn },
                    // The simulator does not fill request context in: the keys IAM sets for a signed call (as
                    // scripts/access/matrix.ts).
                    contextVariables: {
                        "aws:PrincipalArn": caller.principalArn,
                        "aws:PrincipalAccount": caller.account,
                        "aws:ResourceAccount": roleAccount,
                        "aws:SecureTransport": "true",
                    },
                },
            },
            {},
        );
        if (result.resultType === "error")
            throw new Error(`fake STS: the simulator refused the request: ${JSON.stringify(result.errors)}`);
        return result.overallResult === "Allowed";
    }

    private mustCaller(accessKeyId: string): FakeIdentity {
        const caller = this.identities.get(accessKeyId);
        if (!caller)
            throw {
                status: 403,
                type: "InvalidClientTokenId",
                message: `The security token included in the request is invalid (${accessKeyId}).`,
            } satisfies FakeError;
        return caller;
    }
}
