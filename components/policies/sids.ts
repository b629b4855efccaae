// The Sid of every statement the grants write, by document. The grants use these, and so do the access matrix (which
// statement a row depends on) and verify-access (which statement to look at): one spelling of each.

export const SIDS = {
    bucketPolicy: {
        list: "AllowBedrockExecutionRoleList",
        readModels: "AllowBedrockExecutionRoleReadModels",
        denyInsecureTransport: "DenyInsecureTransport",
    },
    trustPolicy: {
        bedrockImportJobs: "AllowBedrockModelImportJobs",
        operatorTroubleshooting: "AllowOperatorTroubleshooting",
    },
    executionPolicy: {
        listBucket: "ListModelArtifactBucket",
        readArtifacts: "ReadModelArtifacts",
        decryptArtifacts: "DecryptModelArtifacts",
        useHostingKey: "UseImportedModelKeyThroughBedrock",
        letBedrockGrantHostingKey: "LetBedrockGrantItselfImportedModelKey",
    },
    developmentKeyPolicy: {
        rootAdministration: "EnableRootAccountAdministration",
        executionRoleDecrypt: "AllowBedrockExecutionRoleDecrypt",
    },
    hostingKeyPolicy: {
        rootAdministration: "EnableRootAccountAdministration",
        executionRoleUse: "AllowBedrockExecutionRoleUseImportedModelKeyThroughBedrock",
        executionRoleLetBedrockGrant: "AllowBedrockExecutionRoleLetBedrockGrantItselfImportedModelKey",
        importerUse: "AllowModelImporterUseThroughBedrock",
        importerBedrockGrant: "AllowModelImporterBedrockGrant",
        invokersDecrypt: "AllowModelInvokersDecryptThroughBedrock",
    },
    importerIdentityPolicy: {
        startImports: "StartModelImportJobs",
        trackModels: "TrackImportedModels",
        listAndReadQuota: "ListImportsAndReadQuota",
        smokeTest: "SmokeTestImportedModels",
        managePointers: "ManageModelPointers",
        passExecutionRole: "PassExecutionRoleToBedrock",
        useHostingKey: "UseHostingKeyThroughBedrock",
        letBedrockGrantHostingKey: "LetBedrockGrantItselfTheHostingKey",
    },
    invokerIdentityPolicy: {
        readPointers: "ReadModelPointers",
        invokeModels: "InvokeImportedModels",
        decryptThroughBedrock: "DecryptImportedModelsThroughBedrock",
    },
} as const;
