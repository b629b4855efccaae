// The project name in Pulumi.yaml, which is also the namespace of the stack config's keys (`<namespace>:modelHosting`);
// components/naming.ts re-exports it as PROJECT. Its own module so the dynamic providers, which read the stack config
// the host hands them, need nothing else of config/.
export const CONFIG_NAMESPACE = "bedrock-cross-account-import";
