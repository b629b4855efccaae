// The namespace of the stack config's keys (`<namespace>:modelHosting`): the project name in Pulumi.yaml. Its own
// module so the dynamic providers, which read the stack config the host hands them, need nothing else of config/.
export const CONFIG_NAMESPACE = "bedrock-cross-account-import";
