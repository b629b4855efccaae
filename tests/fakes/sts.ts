// The one in-memory model of STS the fakes share: who an access key is, and sessions made by AssumeRole. Whether a
// caller may assume a role is not judged here: the IAM policy simulator decides access (tests/access.test.ts, plan).
import { randomBytes } from "node:crypto";
import type { FakeError } from "./bedrock";

export interface FakeIdentity {
    account: string;
    arn: string;
    secretAccessKey: string;
}

export class FakeSts {
    /** Access key id -> identity. */
    readonly identities = new Map<string, FakeIdentity>();

    /** GetCallerIdentity for the key that signed the request. */
    callerIdentity(accessKeyId: string): { Account: string; Arn: string; UserId: string } {
        const caller = this.mustCaller(accessKeyId);
        return { Account: caller.account, Arn: caller.arn, UserId: "AIDAFAKE" };
    }

    /** AssumeRole: a session in the role's account, reachable with the returned key. */
    assumeRole(accessKeyId: string, roleArn: string, sessionName: string): { accessKeyId: string; secretAccessKey: string; arn: string; expiration: Date } {
        this.mustCaller(accessKeyId);
        const role = /^arn:aws:iam::([0-9]{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
        if (!role) throw { status: 400, type: "ValidationError", message: `Invalid RoleArn ${roleArn}` } satisfies FakeError;
        const key = `ASIA${randomBytes(8).toString("hex").toUpperCase()}`;
        const arn = `arn:aws:sts::${role[1]}:assumed-role/${role[2]}/${sessionName}`;
        this.identities.set(key, { account: role[1], arn, secretAccessKey: "assumed-secret" });
        return { accessKeyId: key, secretAccessKey: "assumed-secret", arn, expiration: new Date(Date.now() + 3600_000) };
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
