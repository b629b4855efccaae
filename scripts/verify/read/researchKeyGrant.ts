// The grant this stack adds on the research team's key (modelDevelopment.kms.keyArn), as deployed: read with
// kms:ListGrants and turned into the key-policy form the simulator evaluates; the key's own policy is the research
// team's.

import { ListGrantsCommand } from "@aws-sdk/client-kms";
import { listAll } from "../../../components/awsSdk/pages";
import { RESEARCH_KEY_GRANT } from "../../../components/policies/grants";
import { grantAsKeyPolicy } from "../../access/matrix";
import type { AccountClients } from "../clients";
import type { CheckResult } from "../types";
import { DocumentCheck, unreadable, type Read } from "./reader";

export async function readGrant(
    keyArn: string,
    roleArn: string,
    clients: AccountClients,
    results: CheckResult[],
): Promise<Read> {
    const check = new DocumentCheck(
        "deployed.developmentKeyGrant",
        `Grant for ${roleArn} on the research key ${keyArn}`,
        results,
    );
    const listed = await check.attempt(
        () =>
            listAll(async (Marker) => {
                const out = await clients.kms.send(
                    new ListGrantsCommand({ KeyId: keyArn, ...(Marker ? { Marker } : {}) }),
                );
                return { items: out.Grants, next: out.Truncated ? out.NextMarker : undefined };
            }),
        (e) =>
            unreadable(
                `kms:ListGrants on ${keyArn}`,
                e,
                `Give ${clients.source} kms:ListGrants on the research key, then run again.`,
            ),
    );
    if (!("value" in listed)) return { state: "unknown" };
    const grants: Array<{ GranteePrincipal?: string; Operations?: string[]; Name?: string }> = listed.value;
    const needed = RESEARCH_KEY_GRANT.operations;
    const grant = grants.find(
        (g) => g.GranteePrincipal === roleArn && needed.every((op) => g.Operations?.includes(op)),
    );
    if (!grant) {
        check.fail(
            `no grant on the key lets ${roleArn} ${needed.join(" and ")} (${grants.length} grant(s) on the key)`,
            `Run pulumi up to create it; the development deployer needs kms:CreateGrant on ${keyArn} (the ` +
                `research team grants that once).`,
        );
        return { state: "absent" };
    }
    check.pass(`grant ${grant.Name ?? ""} allows ${grant.Operations?.join(", ")}`);
    return { state: "read", doc: grantAsKeyPolicy({ granteePrincipal: roleArn, operations: grant.Operations ?? [] }) };
}
