// Reads the deployed documents back from AWS (bucket policy, execution role trust and policies, key policies, the
// research key's grant; one reader per document in ./read), runs them through the same IAM simulator matrix as
// `npm run plan`, and compares them with the documents the program would write. The simulator's verdict decides ✔/✘
// (./accessResults.ts); drift alone is a warning (./drift.ts).

import type { StackConfig } from "../../components/config/stackConfig";
import { deploymentOf, executionRoleArn, PROJECT, stackNames, type StackNames } from "../../components/naming";
import { accessParams } from "../../components/policies/statements";
import type { PolicyDocument } from "../../components/policies/document";
import { evaluateAccess, type AccessResult, type DocumentName, type PolicySet } from "../access/matrix";
import type { AccountClients } from "./clients";
import { EMPTY_POLICY, hasDrift } from "./documents";
import { accessResult, implicated, LABELS, type Causes } from "./accessResults";
import { documentDrifts, driftResults } from "./drift";
import { readBucketPolicy } from "./read/bucketPolicy";
import { readRole, type RoleDocs } from "./read/executionPolicy";
import { readKey } from "./read/keyPolicy";
import type { Read } from "./read/reader";
import { readGrant } from "./read/researchKeyGrant";
import { skip, type CheckResult } from "./types";

export interface DeployedState {
    results: CheckResult[];
    developmentKeyArn?: string;
    hostingKeyArn?: string;
}

interface Docs extends RoleDocs {
    bucketPolicy: Read;
    developmentKeyPolicy?: Read;
    hostingKeyPolicy?: Read;
}

/** Every deployed document the stack writes, read with each account's clients; skipped where those failed. */
async function readDeployed(
    config: StackConfig,
    names: StackNames,
    dev: AccountClients | undefined,
    host: AccountClients | undefined,
    results: CheckResult[],
): Promise<{ docs: Docs; developmentKeyArn?: string; hostingKeyArn?: string }> {
    const partition = accessParams(config).partition;
    const aliases = names.keyAliases;
    const unreadable = (account: string) => `skipped: the ${account} account's credentials failed the identity check`;
    const docs: Docs = {
        bucketPolicy: { state: "unknown" },
        trustPolicy: { state: "unknown" },
        executionPolicy: { state: "unknown" },
        otherIdentityStatements: [],
        otherPoliciesKnown: false,
    };
    let developmentKeyArn: string | undefined;
    let hostingKeyArn: string | undefined;

    if (dev) {
        docs.bucketPolicy = await readBucketPolicy(config, dev, results);
        if (config.modelDevelopment.kms.enabled) {
            const key = await readKey(
                "development",
                aliases.development,
                config.modelDevelopment.accountId,
                dev,
                results,
            );
            docs.developmentKeyPolicy = key.read;
            developmentKeyArn = key.arn;
        } else if (config.modelDevelopment.kms.keyArn) {
            developmentKeyArn = config.modelDevelopment.kms.keyArn;
            docs.developmentKeyPolicy = await readGrant(
                developmentKeyArn,
                executionRoleArn(accessParams(config)),
                dev,
                results,
            );
        }
    } else {
        results.push(
            skip(
                "deployed.bucketPolicy",
                `Bucket policy of s3://${config.modelDevelopment.artifactBucket.name}`,
                unreadable("development"),
            ),
        );
        if (config.modelDevelopment.kms.enabled)
            results.push(
                skip("deployed.developmentKey", `Development key ${aliases.development}`, unreadable("development")),
            );
        else if (config.modelDevelopment.kms.keyArn)
            results.push(
                skip(
                    "deployed.developmentKeyGrant",
                    `Grant for the execution role on the research key ${config.modelDevelopment.kms.keyArn}`,
                    unreadable("development"),
                ),
            );
    }
    if (host) {
        Object.assign(docs, await readRole(config, host, partition, results));
        if (config.modelHosting.kms.enabled) {
            const key = await readKey("hosting", aliases.hosting, config.modelHosting.accountId, host, results);
            docs.hostingKeyPolicy = key.read;
            hostingKeyArn = key.arn;
        }
    } else {
        results.push(
            skip(
                "deployed.trustPolicy",
                `Trust policy of the execution role ${config.modelHosting.executionRoleName}`,
                unreadable("hosting"),
            ),
        );
        results.push(
            skip(
                "deployed.executionPolicy",
                `Execution policy ${config.modelHosting.executionPolicyName}`,
                unreadable("hosting"),
            ),
        );
        if (config.modelHosting.kms.enabled)
            results.push(skip("deployed.hostingKey", `Hosting key ${aliases.hosting}`, unreadable("hosting")));
    }
    return { docs, ...(developmentKeyArn ? { developmentKeyArn } : {}), ...(hostingKeyArn ? { hostingKeyArn } : {}) };
}

/** Deployed-document checks, the simulated access matrix over them, and drift against the program's documents. */
export async function checkDeployed(
    config: StackConfig,
    stack: string,
    dev: AccountClients | undefined,
    host: AccountClients | undefined,
): Promise<DeployedState> {
    const results: CheckResult[] = [];
    // A backend without organizations (file, S3): the program's names then carry no organization either.
    const names = stackNames(PROJECT, stack, deploymentOf(config));
    const { docs, developmentKeyArn, hostingKeyArn } = await readDeployed(config, names, dev, host, results);

    const p = accessParams(config, {
        ...(developmentKeyArn ? { developmentKeyArn } : {}),
        ...(hostingKeyArn ? { hostingKeyArn } : {}),
    });
    const reads: Array<[DocumentName, Read | undefined]> = [
        ["bucketPolicy", docs.bucketPolicy],
        ["trustPolicy", docs.trustPolicy],
        ["executionPolicy", docs.executionPolicy],
        ["developmentKeyPolicy", docs.developmentKeyPolicy],
        ["hostingKeyPolicy", docs.hostingKeyPolicy],
    ];
    // Documents that could not be read (credentials, permissions) or were never asked for (the account's identity check
    // failed): rows depending on them are not judged.
    const inSet = (n: DocumentName) =>
        n === "developmentKeyPolicy" ? !!p.developmentKeyArn : n === "hostingKeyPolicy" ? !!p.hostingKeyArn : true;
    const unknown = new Set<DocumentName>(
        reads.filter(([n, r]) => r?.state === "unknown" || (r === undefined && inSet(n))).map(([n]) => n),
    );
    if (!docs.otherPoliciesKnown) unknown.add("executionPolicy");
    // A document that does not exist denies everything: a must-deny row over it proves nothing, so it is not shown as
    // ✔.
    const absent = new Set<DocumentName>(reads.filter(([, r]) => r?.state === "absent").map(([n]) => n));
    const docOf = (r: Read | undefined): PolicyDocument => (r?.state === "read" ? r.doc : EMPTY_POLICY);
    const execution = docOf(docs.executionPolicy);
    const set: PolicySet = {
        bucketPolicy: docOf(docs.bucketPolicy),
        trustPolicy: docOf(docs.trustPolicy),
        // The simulator's identity side is the union of everything attached to the role.
        executionPolicy: { ...execution, Statement: [...execution.Statement, ...docs.otherIdentityStatements] },
        ...(p.developmentKeyArn ? { developmentKeyPolicy: docOf(docs.developmentKeyPolicy) } : {}),
        ...(p.hostingKeyArn ? { hostingKeyPolicy: docOf(docs.hostingKeyPolicy) } : {}),
    };
    const dependsOn = (r: AccessResult, names: ReadonlySet<DocumentName>) =>
        (r.resourcePolicy !== undefined && names.has(r.resourcePolicy)) ||
        (r.identity === "execution" && names.has("executionPolicy"));
    const judged = (r: AccessResult) => !dependsOn(r, unknown) && !(r.expect === "denied" && dependsOn(r, absent));
    const all = await evaluateAccess(p, set);
    const matrix = all.filter(judged);
    const drifts = documentDrifts(config, names, p, reads);
    const causes: Causes = {
        drifted: new Set([...drifts].filter(([, d]) => hasDrift(d)).map(([n]) => n)),
        absent: new Set(reads.filter(([, r]) => r?.state === "absent").map(([n]) => n)),
        otherPolicies: docs.otherIdentityStatements.length > 0,
    };
    results.push(...matrix.map((r) => accessResult(r, config, p, causes)));
    if (matrix.length < all.length) {
        const notRead = all.filter((r) => dependsOn(r, unknown)).length;
        const overAbsent = all.length - matrix.length - notRead;
        const reasons = [
            ...(notRead
                ? [
                      `${notRead} not run: could not read the ${[...unknown].map((n) => LABELS[n]).join(", ")} ` +
                          `(see above)`,
                  ]
                : []),
            ...(overAbsent
                ? [
                      `${overAbsent} must-deny checks not judged: the ` +
                          `${[...absent].map((n) => LABELS[n]).join(", ")} does not exist (see above), ` +
                          `and a missing document denies everything, which proves nothing`,
                  ]
                : []),
        ];
        results.push(
            skip(
                "access",
                "Simulated access over the deployed documents",
                `${all.length - matrix.length} of ${all.length} checks: ${reasons.join("; ")}`,
            ),
        );
    }
    const failingDocs = new Set<DocumentName>();
    for (const r of matrix.filter((r) => !r.ok)) for (const n of implicated(r)) failingDocs.add(n);
    results.push(...driftResults(drifts, failingDocs, config, p));
    return {
        results,
        ...(developmentKeyArn ? { developmentKeyArn } : {}),
        ...(hostingKeyArn ? { hostingKeyArn } : {}),
    };
}
