// The namespace of the stack config's keys (`<namespace>:modelHosting`): the project name in Pulumi.yaml. Its own
// module so what the dynamic providers read of the stack config (currentAccount.ts) needs nothing of the validator.
export const CONFIG_NAMESPACE = "bedrock-cross-account-import";
