// The execution role's trust policy (docs/access.md, item 2): who may assume the role.

import { statement, type AccessRow, type Expectation, type Subjects, outsideGrant } from "../rows";

/** Bedrock (or another service) asking to assume the role, with the source it names. */
function serviceAssumes(
    s: Subjects,
    row: {
        id: string;
        expect: Expectation;
        description: string;
        service?: string;
        source?: { account: string; region?: string; kind?: string };
    },
): AccessRow {
    const { p } = s;
    const source: Record<string, string> = row.source
        ? {
              "aws:SourceAccount": row.source.account,
              "aws:SourceArn": `arn:${p.partition}:bedrock:${row.source.region ?? p.hostingRegion}:${row.source.account}:${row.source.kind ?? "model-import-job"}/job0example`,
          }
        : {};
    return {
        id: row.id,
        expect: row.expect,
        description: row.description,
        principal: row.service ?? "bedrock.amazonaws.com",
        service: true,
        action: "sts:AssumeRole",
        resource: s.role,
        resourceAccount: p.hostingAccountId,
        resourcePolicy: "trustPolicy",
        identity: "none",
        context: source,
        lookAt: [statement("trustPolicy", "bedrockImportJobs")],
    };
}

export function trustPolicyRows(s: Subjects): AccessRow[] {
    const { p, role, third } = s;
    const host = p.hostingAccountId;
    const region2 = s.otherRegion;
    const rows: AccessRow[] = [
        serviceAssumes(s, {
            id: "trust.bedrock-import-job",
            expect: "allowed",
            description: "Bedrock import jobs of the hosting account assume the execution role",
            source: { account: host },
        }),
        serviceAssumes(s, {
            id: "trust.other-account-job",
            expect: "denied",
            description: `Bedrock acting for another account (${third}) cannot assume the role`,
            source: { account: third },
        }),
        serviceAssumes(s, {
            id: "trust.other-job-kind",
            expect: "denied",
            description: "Bedrock model customization jobs cannot assume the role",
            source: { account: host, kind: "model-customization-job" },
        }),
        serviceAssumes(s, {
            id: "trust.evaluation-job",
            expect: "denied",
            description: "Bedrock evaluation jobs cannot assume the role",
            source: { account: host, kind: "evaluation-job" },
        }),
        ...(region2 !== p.hostingRegion
            ? [
                  serviceAssumes(s, {
                      id: "trust.other-region",
                      expect: "denied",
                      description: `Bedrock import jobs in another region (${region2}) cannot assume the role`,
                      source: { account: host, region: region2 },
                  }),
              ]
            : []),
        serviceAssumes(s, {
            id: "trust.no-source",
            expect: "denied",
            description: "Bedrock without source account and ARN (confused deputy) cannot assume the role",
        }),
        serviceAssumes(s, {
            id: "trust.other-service",
            expect: "denied",
            description: "Another service (SageMaker) cannot assume the role",
            service: "sagemaker.amazonaws.com",
            source: { account: host },
        }),
        {
            id: "trust.other-principal",
            expect: "denied",
            description: "Another role of the hosting account cannot assume the execution role",
            principal: `arn:${p.partition}:iam::${host}:role/NotAnOperator-${p.executionRoleName}`.slice(0, 200),
            action: "sts:AssumeRole",
            resource: role,
            resourceAccount: host,
            resourcePolicy: "trustPolicy",
            identity: "broad",
            lookAt: [{ document: "trustPolicy" }],
        },
    ];
    for (const operator of p.allowAssumeFrom ?? []) {
        // The trust statement names each operator's account root (plus aws:PrincipalArn): the operator's account always
        // grants too.
        const own = outsideGrant(operator, "sts:AssumeRole", role, {
            resourceAccount: host,
            namesPrincipalItself: false,
        });
        rows.push({
            id: `trust.operator:${operator}`,
            expect: "allowed",
            description:
                `Troubleshooting operator ${operator} can assume the execution role ` +
                `(modelHosting.troubleshooting.allowAssumeFrom); ${own.alsoNeeds}`,
            principal: operator,
            action: "sts:AssumeRole",
            resource: role,
            resourceAccount: host,
            resourcePolicy: "trustPolicy",
            lookAt: [statement("trustPolicy", "operatorTroubleshooting")],
            ...own,
        });
    }
    return rows;
}
