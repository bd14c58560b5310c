// Validates Kubernetes objects against their schemas: the API's own (kubernetes-models) and
// CloudNativePG's CRDs (@kubernetes-models/cloudnative-pg).
// Usage: node validate.mjs objects.json   (a JSON array of objects, e.g. `kubectl kustomize` output)
// Prints one JSON line per object: {"kind","name","valid","error"}; exits 1 if any is invalid.
import { readFileSync } from "node:fs";

const packages = {
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg",
};

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const module = group === ""
    ? `kubernetes-models/${version}/${kind}`
    : `${packages[group] ?? "kubernetes-models"}/${group}/${version}/${kind}`;
  try {
    return (await import(module))[kind];
  } catch (e) {
    if (e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || e.code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw e;
  }
}

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
let invalid = 0;
for (const object of objects) {
  const name = object?.metadata?.name ?? "";
  const model = await modelFor(String(object.apiVersion ?? ""), String(object.kind ?? ""));
  let error = null;
  if (!model) error = `no schema for ${object.apiVersion} ${object.kind}`;
  else {
    try {
      new model(object).validate();
    } catch (e) {
      error = e.message;
    }
  }
  if (error) invalid++;
  console.log(JSON.stringify({ kind: object.kind, name, valid: error === null, error }));
}
process.exit(invalid > 0 ? 1 : 0);
