import * as pulumi from "@pulumi/pulumi";
import { importedModelProvider } from "../../components/importedModel";
(async () => {
  const sf = await pulumi.runtime.serializeFunction(() => importedModelProvider, { allowSecrets: true });
  console.log(sf.text.length, sf.containsSecrets);
  require("fs").writeFileSync("/tmp/exp/ser.js", sf.text);
  const rfs = require("require-from-string");
  const p = rfs(sf.text).handler();
  console.log(Object.keys(p));
  console.log(await p.check({}, { accountId: "1", region: "us-east-1" }));
  console.log(await p.diff("x", {accountId:"777788889999", region:"us-east-1", modelName:"a", s3Uri:"s3://b/p/", jobStatus:"Completed", modelArn:"arn"}, {accountId:"777788889999", region:"us-east-1", modelName:"a", s3Uri:"s3://b/q/"}));
})().catch(e => { console.error(e); process.exit(1); });
