// End-to-end probe as the execution role: assume it, list the model prefix and read config.json, exactly
// what Bedrock does first. Only possible when the stack opts in with modelHosting.troubleshooting.allowAssumeFrom,
// because the role's trust policy otherwise admits only Bedrock import jobs.

import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { ModelConfig, StackConfig } from "../../components/config/stackConfig";
import { executionRoleArn } from "../../components/naming";
import { accessParams, type AccessParams } from "../../components/policies/statements";
import { grantSidsText, type DocumentLabels } from "../../components/policies/checklist";
import { grantById } from "../../components/policies/grants";
import type { ClientFactory } from "./clients";
import { describePrincipal, matchConfiguredPrincipal, resolvePrincipalArn, type Identity } from "./identity";
import { fail, pass, skip, warn, type CheckResult } from "./types";
import { describeError } from "../../components/awsSdk/errors";

/** The documents a probe failure points at, as the fix texts name them. */
const PROBE_LABELS: DocumentLabels = { bucketPolicy: "bucket policy", executionPolicy: "execution policy" };

export async function probeAsExecutionRole(
    config: StackConfig,
    stack: string,
    models: readonly ModelConfig[],
    factory: ClientFactory,
    hostingIdentity: Identity | undefined,
): Promise<CheckResult[]> {
    const operators = config.modelHosting.troubleshooting.allowAssumeFrom;
    const params = accessParams(config);
    const roleArn = executionRoleArn(params);
    // The ARN to suggest for allowAssumeFrom is the caller's aws:PrincipalArn, which keeps the role's path.
    const resolve = (identity: Identity) =>
        resolvePrincipalArn(identity.arn, factory.account("hosting", config.modelHosting).iam);
    const suggestion = async (identity: Identity) => describePrincipal(await resolve(identity));
    if (operators.length === 0) {
        return [
            skip(
                "probe",
                `Probe as the execution role ${roleArn}`,
                "skipped: modelHosting.troubleshooting.allowAssumeFrom is empty, so only Bedrock may assume the role",
                `To probe, add your principal ARN${hostingIdentity ? ` (${await suggestion(hostingIdentity)})` : ""} ` +
                    `to modelHosting.troubleshooting.allowAssumeFrom, run pulumi up and this command again; remove ` +
                    `it and run pulumi up afterwards.`,
            ),
        ];
    }
    if (!hostingIdentity)
        return [
            skip(
                "probe",
                `Probe as the execution role ${roleArn}`,
                "skipped: the hosting account's credentials failed the identity check",
            ),
        ];

    const results: CheckResult[] = [
        warn(
            "probe.trust-statement",
            `The execution role's trust policy admits operators for troubleshooting`,
            `allowAssumeFrom lists ${operators.join(", ")}`,
            `Remove them (modelHosting.troubleshooting.allowAssumeFrom: []) and run pulumi up when ` +
                `troubleshooting is done.`,
        ),
    ];
    // The allowAssumeFrom entry this caller is (path included), if any: the trust policy compares exactly that ARN.
    const listed = matchConfiguredPrincipal(hostingIdentity.arn, operators);
    const me = listed ?? hostingIdentity.arn;
    const role = factory.assumed(roleArn, "hosting", { ...config.modelHosting }, `verify-access-${stack}`);
    const assumeTitle = `Assume ${roleArn} as ${me}`;
    try {
        // GetCallerIdentity through the assumed-role client triggers sts:AssumeRole and shows the session.
        const who = await role.sts.send(new GetCallerIdentityCommand({}));
        results.push(pass("probe.assume", assumeTitle, `${who.Arn}`));
    } catch (e) {
        let fix: string;
        if (listed) {
            // Listed by account and role name; the trust policy compares the whole ARN, path included.
            const actual = await resolve(hostingIdentity);
            fix =
                actual.pathKnown && actual.arn !== listed
                    ? `allowAssumeFrom lists ${listed}, but your aws:PrincipalArn is ${actual.arn} (a role's ARN ` +
                      `includes its path; a session's ARN does not show it): replace the entry with ${actual.arn}, ` +
                      `run pulumi up and run again.`
                    : `${listed} is in allowAssumeFrom: run pulumi up so the trust policy has the ` +
                      `AllowOperatorTroubleshooting statement, and make sure ${listed} itself may call ` +
                      `sts:AssumeRole on ${roleArn}.`;
        } else {
            fix =
                `${await suggestion(hostingIdentity)} is not in modelHosting.troubleshooting.allowAssumeFrom (${operators.join(", ")}); ` +
                `add it, run pulumi up, and run again (remove it afterwards).`;
        }
        results.push(fail("probe.assume", assumeTitle, `sts:AssumeRole failed: ${describeError(e)}`, fix));
        for (const m of models)
            results.push(
                skip(
                    `probe.${m.name}`,
                    `Read ${m.name} as the execution role`,
                    "skipped: the role could not be assumed",
                ),
            );
        return results;
    }

    for (const m of models) results.push(...(await probeModel(role, config, params, m)));
    return results;
}

/** The execution role's reads of one model's artifacts: list its prefix, read its config.json. */
async function probeModel(
    role: ReturnType<ClientFactory["assumed"]>,
    config: StackConfig,
    params: AccessParams,
    m: ModelConfig,
): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    const bucket = config.modelDevelopment.artifactBucket.name;
    const bedrockError =
        "this is the access Bedrock needs; its import job fails with \"Amazon Bedrock doesn't have access to the " +
        'S3 location"';
    const uri = `s3://${bucket}/${m.s3Prefix}`;
    try {
        const out = await role.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: m.s3Prefix, MaxKeys: 1000 }));
        results.push(
            pass(
                `probe.${m.name}.list`,
                `List ${uri} as the execution role`,
                `${out.KeyCount ?? out.Contents?.length ?? 0} objects visible`,
            ),
        );
    } catch (e) {
        results.push(
            fail(
                `probe.${m.name}.list`,
                `List ${uri} as the execution role`,
                `s3:ListBucket was refused: ${describeError(e)}; ${bedrockError}`,
                `See the access.s3.list-bucket check: ` +
                    `${grantSidsText(grantById("executionRoleListsBucket"), params, PROBE_LABELS)} must both allow ` +
                    `it; run pulumi up to restore them.`,
            ),
        );
    }
    try {
        const out = await role.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${m.s3Prefix}config.json` }));
        const text = out.Body ? await out.Body.transformToString() : "";
        JSON.parse(text);
        results.push(
            pass(
                `probe.${m.name}.read-config`,
                `Read ${uri}config.json as the execution role`,
                `${text.length} bytes of JSON`,
            ),
        );
    } catch (e) {
        // The development key policy is the stack's only when it created the key (kms.enabled).
        const kms = config.modelDevelopment.kms.enabled
            ? ` and, for SSE-KMS objects, ` +
              `${grantSidsText(grantById("executionRoleDecryptsArtifacts"), params, { developmentKeyPolicy: "development key policy" })}`
            : "";
        results.push(
            fail(
                `probe.${m.name}.read-config`,
                `Read ${uri}config.json as the execution role`,
                e instanceof SyntaxError
                    ? `config.json was read but is not JSON`
                    : `s3:GetObject failed: ${describeError(e)}; ${bedrockError}`,
                e instanceof SyntaxError
                    ? `Upload the model's original config.json.`
                    : `See the access.s3.read checks: ` +
                          `${grantSidsText(grantById("executionRoleReadsModels"), params, PROBE_LABELS)}${kms} must ` +
                          `allow it; run pulumi up to restore them.`,
            ),
        );
    }
    return results;
}
