// What the schema analyzer sees of the cloud SDKs (tsconfig.json `paths`): nothing. The schema comes from the
// components' args interfaces and output properties, which use only @pulumi/pulumi's types; the constructor
// bodies, where @pulumi/aws, gcp, docker and random are used, are not read. Parsing those SDKs' ~4,900
// declaration files took 4 of the analyzer's 5 seconds. An arg typed with a cloud SDK type would come out as
// `Any`, which tests/package/schema.spec.ts refuses. The bundle (index.js) and the type-check use the real SDKs.
declare const sdk: any;
export = sdk;
