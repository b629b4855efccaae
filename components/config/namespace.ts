// The namespace of the stack config's keys (`<namespace>:modelHosting`): the project name in Pulumi.yaml, one constant
// with components/naming.ts's PROJECT (naming sits below config). Its own module so what the dynamic providers read of
// the stack config (currentAccount.ts) needs nothing of the validator.
export { PROJECT as CONFIG_NAMESPACE } from "../naming";
