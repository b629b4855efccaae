// The rulebook: every AWS rule or limit the program, the imported-model provider's `check`, `plan` and
// `verify-access` apply, in one place. Pure: no Pulumi, no SDK. Each rule cites the AWS page it comes from.

export * from "./architectures";
export * from "./arns";
export * from "./documents";
export * from "./names";
export * from "./prefixes";
export * from "./quotas";
export * from "./regions";
export * from "./tags";
