/**
 * The CLIs' own words, as a table: what a printed or documented command line may say to pulumi, gh, aws and gcloud.
 * The docs' commands (tests/docs/commands.spec.ts), the release's alarm messages (tests/release) and the program's
 * errors (tests/image) are all judged by it, so a flag the CLI lacks is caught wherever a reader copies it from.
 */

/** A value the reader fills in (`<org>`, `...`), which no check can judge. */
export const placeholder = (word: string | undefined) => word === undefined || word.includes("<") || word.includes("...") || word.startsWith("$");

/**
 * The subcommands and flags of the CLIs the docs, the release and the program give commands for, as each CLI's own
 * source defines them (the file each entry names; `group`: a command that takes no argument, so a word after it names a
 * subcommand; `persistent`: flags its subcommands take too). Copied from the sources, not fetched: CI has no copy of
 * them. pulumi (also `pulumi env`, which the pulumi CLI builds from pkg/cmd/esc/cli): pulumi/pulumi at
 * v3.259.0-14-g1b5949891b, while .pulumi.version pins 3.276.0, so a flag added since is missing here (add it, naming
 * the file) and one removed since would pass. gh: cli/cli v2.60.0. aws: an operation of botocore's service model
 * (boto/botocore 1.43.11, the one aws-cli 1.45.11 installs: each entry's flags and `required` compared with its
 * service-2.json), its command and flags the kebab-case of the operation and its input members; the CLI's own
 * parameters beside them (--cli-input-json, pagination) are not listed. A flag not listed fails, so the table can only
 * be short of the CLI. `required`: the flags the CLI refuses a command without: an aws input shape's `required`
 * members, as the CLI names them (its argument table, argrenames applied); aws-cli 1.45.11's argument table marks them
 * required ("the following arguments are required"), but for `a|b`, either of a boolean's pair, which it leaves to
 * botocore's parameter validation ("Missing required parameter in input").
 */
const CLI: Record<string, { source: string; flags: string; required?: string; persistent?: string; aliases?: string[]; group?: true }> = {
    pulumi: { source: "pulumi/pulumi pkg/cmd/pulumi/pulumi.go", flags: "", persistent: "--color --cwd --disable-integrity-checking --emoji --fully-qualify-stack-names --logflow --logtostderr --memprofilerate --non-interactive --otel-traces --profiling --tracing --tracing-header --verbose -C -Q -e -v", group: true },
    "pulumi cancel": { source: "pulumi/pulumi pkg/cmd/pulumi/cancel/cancel.go", flags: "--stack --yes -s -y" },
    "pulumi config": { source: "pulumi/pulumi pkg/cmd/pulumi/config/config.go", flags: "--json --open --show-secrets -j", persistent: "--config-file --stack -s", group: true },
    "pulumi config set": { source: "pulumi/pulumi pkg/cmd/pulumi/config/config.go", flags: "--path --plaintext --raw --secret --type" },
    "pulumi destroy": { source: "pulumi/pulumi pkg/cmd/pulumi/operations/destroy.go", flags: "--client --config --config-file --config-path --continue-on-error --copilot --debug --diff --event-log --exclude --exclude-protected --exec-agent --exec-kind --ignore-protect --json --message --neo --output --parallel --preview-only --refresh --remove --run-program --show-config --show-full-output --show-replacement-steps --show-sames --skip-config-validation --skip-plugin-pre-install --skip-preview --stack --suppress-outputs --suppress-permalink --suppress-progress --target --target-dependents --urns --yes -c -d -f -j -m -p -r -s -t -x -y", aliases: ["down", "dn"] },
    "pulumi env": { source: "pulumi/pulumi pkg/cmd/esc/cli/env.go", flags: "", persistent: "--env", group: true },
    "pulumi env edit": { source: "pulumi/pulumi pkg/cmd/esc/cli/env_edit.go", flags: "--draft --editor --file --show-secrets -f", aliases: ["update", "modify"] },
    "pulumi env get": { source: "pulumi/pulumi pkg/cmd/esc/cli/env_get.go", flags: "--definition --show-secrets --value" },
    "pulumi env open": { source: "pulumi/pulumi pkg/cmd/esc/cli/env_open.go", flags: "--draft --format --lifetime -f -l" },
    "pulumi env remove": { source: "pulumi/pulumi pkg/cmd/esc/cli/env_rm.go", flags: "--yes -y", aliases: ["rm", "delete"] },
    "pulumi env run": { source: "pulumi/pulumi pkg/cmd/esc/cli/env_run.go", flags: "--draft --interactive --lifetime -i -l" },
    "pulumi env set": { source: "pulumi/pulumi pkg/cmd/esc/cli/env_set.go", flags: "--draft --file --plaintext --secret --string -f" },
    "pulumi import": { source: "pulumi/pulumi pkg/cmd/pulumi/operations/import.go", flags: "--config-file --debug --diff --event-log --exec-agent --exec-kind --file --from --generate-code --generate-resources --json --message --out --output --parallel --parent --preview-only --properties --protect --provider --skip-plugin-pre-install --skip-preview --stack --suppress-outputs --suppress-permalink --suppress-progress --urns --yes -d -f -j -m -o -p -s -y" },
    "pulumi install": { source: "pulumi/pulumi pkg/cmd/pulumi/install/install.go", flags: "--no-dependencies --no-plugins --parallel --reinstall --use-language-version-tools" },
    "pulumi login": { source: "pulumi/pulumi pkg/cmd/pulumi/auth/login.go", flags: "--cloud-url --default-org --insecure --interactive --local --oidc-expiration --oidc-org --oidc-team --oidc-token --oidc-user -c -l" },
    "pulumi org set-default": { source: "pulumi/pulumi pkg/cmd/pulumi/org/org.go", flags: "" },
    "pulumi package add": { source: "pulumi/pulumi pkg/cmd/pulumi/packagecmd/package_add.go", flags: "--language --server" },
    "pulumi package publish": { source: "pulumi/pulumi pkg/cmd/pulumi/packagecmd/package_publish.go", flags: "--installation-configuration --publisher --readme --server --source" },
    "pulumi plugin install": { source: "pulumi/pulumi pkg/cmd/pulumi/plugin/plugin_install.go", flags: "--checksum --exact --file --parallel --reinstall --server -f" },
    "pulumi policy publish": { source: "pulumi/pulumi pkg/cmd/pulumi/policy/policy_publish.go", flags: "" },
    "pulumi preview": { source: "pulumi/pulumi pkg/cmd/pulumi/operations/preview.go", flags: "--attach-debugger --client --config --config-file --config-path --copilot --debug --diff --event-log --exclude --exclude-dependents --exec-agent --exec-kind --expect-no-changes --ignore-protect --import-file --json --message --neo --neo-task-on-failure --output --parallel --policy-pack --policy-pack-config --refresh --replace --run-program --save-plan --show-config --show-full-output --show-policy-remediations --show-reads --show-replacement-steps --show-sames --show-secrets --skip-config-validation --skip-plugin-pre-install --stack --suppress-outputs --suppress-permalink --suppress-progress --target --target-dependents --target-replace --urns -c -d -j -m -p -r -s -t -x", aliases: ["pre"] },
    "pulumi refresh": { source: "pulumi/pulumi pkg/cmd/pulumi/operations/refresh.go", flags: "--clear-pending-creates --client --config --config-file --config-path --copilot --debug --diff --event-log --exclude --exclude-dependents --exec-agent --exec-kind --expect-no-changes --import-pending-creates --json --message --neo --output --parallel --preview-only --run-program --show-replacement-steps --show-sames --skip-config-validation --skip-pending-creates --skip-plugin-pre-install --skip-preview --stack --suppress-outputs --suppress-permalink --suppress-progress --target --target-dependents --urns --yes -c -d -f -j -m -p -s -t -x -y" },
    "pulumi stack": { source: "pulumi/pulumi pkg/cmd/pulumi/stack/stack.go", flags: "--output --show-ids --show-name --show-secrets --show-urns -i -u", persistent: "--stack -s", group: true },
    "pulumi stack export": { source: "pulumi/pulumi pkg/cmd/pulumi/stack/stack_export.go", flags: "--file --show-secrets --version" },
    "pulumi stack history": { source: "pulumi/pulumi pkg/cmd/pulumi/stack/stack_history.go", flags: "--full-dates --page --page-size --show-secrets", aliases: ["hist"] },
    "pulumi stack output": { source: "pulumi/pulumi pkg/cmd/pulumi/stack/stack_output.go", flags: "--json --shell --show-secrets -j" },
    "pulumi stack rename": { source: "pulumi/pulumi pkg/cmd/pulumi/stack/stack_rename.go", flags: "" },
    "pulumi stack select": { source: "pulumi/pulumi pkg/cmd/pulumi/stack/stack_select.go", flags: "--create --secrets-provider -c" },
    "pulumi state": { source: "pulumi/pulumi pkg/cmd/pulumi/state/state.go", flags: "", group: true },
    "pulumi state delete": { source: "pulumi/pulumi pkg/cmd/pulumi/state/state_delete.go", flags: "--all --force --stack --target-dependents --yes -s -y", aliases: ["remove", "rm"] },
    "pulumi state unprotect": { source: "pulumi/pulumi pkg/cmd/pulumi/state/state_unprotect.go", flags: "--all --stack --yes -s -y" },
    "pulumi up": { source: "pulumi/pulumi pkg/cmd/pulumi/operations/up.go", flags: "--attach-debugger --client --config --config-file --config-path --continue-on-error --copilot --debug --diff --event-log --exclude --exclude-dependents --exec-agent --exec-kind --expect-no-changes --ignore-protect --json --message --neo --neo-task-on-failure --output --parallel --plan --policy-pack --policy-pack-config --refresh --replace --run-program --secrets-provider --show-config --show-full-output --show-policy-remediations --show-reads --show-replacement-steps --show-sames --show-secrets --skip-config-validation --skip-plugin-pre-install --skip-preview --stack --strict --suppress-outputs --suppress-permalink --suppress-progress --target --target-dependents --target-replace --urns --yes -c -d -f -j -m -p -r -s -t -y", aliases: ["update"] },
    gh: { source: "cli/cli pkg/cmd/root/root.go", flags: "", persistent: "--help", group: true },
    "gh api": { source: "cli/cli pkg/cmd/api/api.go", flags: "--cache --field --header --hostname --include --input --jq --method --paginate --preview --raw-field --silent --slurp --template --verbose -F -H -X -f -i -p -q -t" },
    "gh workflow": { source: "cli/cli pkg/cmd/workflow/workflow.go (cmdutil.EnableRepoOverride)", flags: "", persistent: "--repo -R", group: true },
    "gh workflow run": { source: "cli/cli pkg/cmd/workflow/run/run.go", flags: "--field --json --raw-field --ref -F -f -r" },
    aws: { source: "aws/aws-cli awscli/data/cli.json (options)", flags: "", persistent: "--ca-bundle --cli-connect-timeout --cli-read-timeout --color --debug --endpoint-url --no-paginate --no-sign-request --no-verify-ssl --output --profile --query --region --version", group: true },
    "aws account enable-region": { source: "boto/botocore botocore/data/account/2021-02-01/service-2.json EnableRegion", flags: "--account-id --region-name", required: "--region-name" },
    "aws account get-region-opt-status": { source: "boto/botocore botocore/data/account/2021-02-01/service-2.json GetRegionOptStatus", flags: "--account-id --region-name", required: "--region-name" },
    "aws cloudwatch set-alarm-state": { source: "boto/botocore botocore/data/cloudwatch/2010-08-01/service-2.json SetAlarmState", flags: "--alarm-name --state-value --state-reason --state-reason-data", required: "--alarm-name --state-value --state-reason" },
    "aws ecr put-registry-scanning-configuration": { source: "boto/botocore botocore/data/ecr/2015-09-21/service-2.json PutRegistryScanningConfiguration", flags: "--scan-type --rules" },
    "aws iam add-client-id-to-open-id-connect-provider": { source: "boto/botocore botocore/data/iam/2010-05-08/service-2.json AddClientIDToOpenIDConnectProvider", flags: "--open-id-connect-provider-arn --client-id", required: "--open-id-connect-provider-arn --client-id" },
    "aws iam get-role": { source: "boto/botocore botocore/data/iam/2010-05-08/service-2.json GetRole", flags: "--role-name", required: "--role-name" },
    "aws iam get-user": { source: "boto/botocore botocore/data/iam/2010-05-08/service-2.json GetUser", flags: "--user-name" },
    "aws iam get-account-summary": { source: "boto/botocore botocore/data/iam/2010-05-08/service-2.json GetAccountSummary", flags: "" },
    "aws inspector2 list-coverage": { source: "boto/botocore botocore/data/inspector2/2020-06-08/service-2.json ListCoverage", flags: "--max-results --next-token --filter-criteria" },
    "aws kms cancel-key-deletion": { source: "boto/botocore botocore/data/kms/2014-11-01/service-2.json CancelKeyDeletion", flags: "--key-id", required: "--key-id" },
    "aws kms describe-key": { source: "boto/botocore botocore/data/kms/2014-11-01/service-2.json DescribeKey", flags: "--key-id --grant-tokens", required: "--key-id" },
    "aws kms enable-key": { source: "boto/botocore botocore/data/kms/2014-11-01/service-2.json EnableKey", flags: "--key-id", required: "--key-id" },
    "aws kms schedule-key-deletion": { source: "boto/botocore botocore/data/kms/2014-11-01/service-2.json ScheduleKeyDeletion", flags: "--key-id --pending-window-in-days", required: "--key-id" },
    "aws lambda get-function": { source: "boto/botocore botocore/data/lambda/2015-03-31/service-2.json GetFunction", flags: "--function-name --qualifier", required: "--function-name" },
    "aws lambda list-versions-by-function": { source: "boto/botocore botocore/data/lambda/2015-03-31/service-2.json ListVersionsByFunction", flags: "--function-name --marker --max-items", required: "--function-name" },
    "aws lambda publish-version": { source: "boto/botocore botocore/data/lambda/2015-03-31/service-2.json PublishVersion", flags: "--function-name --code-sha256 --description --revision-id --publish-to", required: "--function-name" },
    "aws logs describe-log-groups": { source: "boto/botocore botocore/data/logs/2014-03-28/service-2.json DescribeLogGroups", flags: "--account-identifiers --log-group-name-prefix --log-group-name-pattern --next-token --limit --include-linked-accounts --no-include-linked-accounts --log-group-class --log-group-identifiers" },
    // A boolean member is a pair of flags, --x and --no-x (aws/aws-cli awscli/arguments.py, BooleanArgument).
    "aws logs put-log-group-deletion-protection": { source: "boto/botocore botocore/data/logs/2014-03-28/service-2.json PutLogGroupDeletionProtection", flags: "--log-group-identifier --deletion-protection-enabled --no-deletion-protection-enabled", required: "--log-group-identifier --deletion-protection-enabled|--no-deletion-protection-enabled" },
    "aws s3 sync": { source: "aws/aws-cli awscli/customizations/s3/subcommands.py (SyncCommand.ARG_TABLE)", flags: "--dryrun --quiet --include --exclude --acl --follow-symlinks --no-follow-symlinks --no-guess-mime-type --sse --sse-c --sse-c-key --sse-kms-key-id --sse-c-copy-source --sse-c-copy-source-key --storage-class --grants --website-redirect --content-type --cache-control --content-disposition --content-encoding --content-language --expires --source-region --only-show-errors --no-progress --page-size --ignore-glacier-warnings --force-glacier-transfer --request-payer --checksum-mode --checksum-algorithm --metadata --metadata-directive --case-conflict --delete --size-only --exact-timestamps" },
    "aws sns confirm-subscription": { source: "boto/botocore botocore/data/sns/2010-03-31/service-2.json ConfirmSubscription", flags: "--topic-arn --token --authenticate-on-unsubscribe", required: "--topic-arn --token" },
    // The CLI renames Subscribe's Endpoint (aws/aws-cli awscli/customizations/argrename.py: 'sns.subscribe.endpoint': 'notification-endpoint').
    "aws sns subscribe": { source: "boto/botocore botocore/data/sns/2010-03-31/service-2.json Subscribe", flags: "--topic-arn --protocol --notification-endpoint --attributes --return-subscription-arn", required: "--topic-arn --protocol" },
    "aws sns unsubscribe": { source: "boto/botocore botocore/data/sns/2010-03-31/service-2.json Unsubscribe", flags: "--subscription-arn", required: "--subscription-arn" },
    // GetCallerIdentityRequest has no members; --query and --output are the CLI's own (persistent above).
    "aws sts get-caller-identity": { source: "boto/botocore botocore/data/sts/2011-06-15/service-2.json GetCallerIdentity", flags: "" },
    // gcloud: each command's page of the gcloud reference (cloud.google.com/sdk/gcloud/reference/<the command's words>),
    // its flags as Google Cloud SDK 528.0.0 lists them (data/cli/gcloud_completions.py); the GCLOUD-WIDE FLAGS persistent.
    gcloud: { source: "gcloud reference (GCLOUD WIDE FLAGS)", flags: "", persistent: "--access-token-file --account --billing-project --configuration --flags-file --flatten --format --help --impersonate-service-account --log-http --project --quiet --trace-token --user-output-enabled --verbosity -h -q", group: true },
    "gcloud auth application-default login": { source: "gcloud reference auth/application-default/login", flags: "--browser --client-id-file --disable-quota-project --launch-browser --no-browser --no-launch-browser --login-config --scopes" },
    "gcloud auth application-default set-quota-project": { source: "gcloud reference auth/application-default/set-quota-project", flags: "" },
    "gcloud auth configure-docker": { source: "gcloud reference auth/configure-docker", flags: "" },
    "gcloud iam workload-identity-pools undelete": { source: "gcloud reference iam/workload-identity-pools/undelete", flags: "--location" },
    "gcloud iam workload-identity-pools providers undelete": { source: "gcloud reference iam/workload-identity-pools/providers/undelete", flags: "--location --workload-identity-pool" },
    "gcloud run regions list": { source: "gcloud reference run/regions/list", flags: "--filter --limit --page-size --sort-by --uri" },
    "gcloud run revisions list": { source: "gcloud reference run/revisions/list", flags: "--filter --limit --page-size --region --service --sort-by --uri" },
    "gcloud run services delete": { source: "gcloud reference run/services/delete", flags: "--async --no-async --namespace --region" },
    "gcloud storage cp": { source: "gcloud reference storage/cp", flags: "--additional-headers --all-versions --cache-control --canned-acl --clear-custom-metadata --content-disposition --content-encoding --content-language --content-md5 --content-type --continue-on-error --custom-metadata --custom-time --daisy-chain --decryption-keys --do-not-decompress --encryption-key --gzip-in-flight --gzip-in-flight-all --gzip-local --gzip-local-all --if-generation-match --if-metageneration-match --ignore-symlinks --include-managed-folders --manifest-path --no-clobber --predefined-acl --preserve-acl --preserve-posix --preserve-symlinks --print-created-message --read-paths-from-stdin --recursive --remove-custom-metadata --retain-until --retention-mode --skip-unsupported --storage-class --update-custom-metadata -I -R -n -r" },
};

/** Each table entry under its name and its aliases' (`pulumi state rm` is `pulumi state delete`). */
const cliCommands = new Map(Object.entries(CLI).flatMap(([name, entry]) => [name, ...(entry.aliases ?? []).map((a) => name.replace(/\S+$/, a))].map((n) => [n, { name, ...entry }] as const)));

/**
 * What in one command line the CLI it runs would refuse: a subcommand or flag the table does not have, or a required
 * flag it lacks. The command is cut at `--` (what follows is another command's, `pulumi env run ... -- npm ...`) and
 * at `|`, `;`, `&&`; each `$(...)` in it is checked as a command of its own.
 */
export function unknownCliWords(command: string): string[] {
    const inner = [...command.matchAll(/\$\(([^()]*)\)/g)].map((m) => m[1]);
    const outer = command.replace(/"?\$\([^()]*\)"?/g, "VALUE");
    return [outer, ...inner].flatMap((line) => line.split(/\s(?:&&|;|\|)\s/)).flatMap((part) => {
        const words = part.trim().split(/\s+/);
        const end = words.indexOf("--");
        if (end >= 0) words.length = end;
        if (!cliCommands.has(words[0])) return []; // only a CLI the table has is judged
        const firstFlag = words.findIndex((w) => w.startsWith("-"));
        const path = firstFlag < 0 ? words : words.slice(0, firstFlag);
        let depth = path.length;
        while (!cliCommands.has(path.slice(0, depth).join(" "))) depth--;
        const entry = cliCommands.get(path.slice(0, depth).join(" "))!;
        const next = words[depth];
        if (entry.group && next !== undefined && !next.startsWith("-") && !placeholder(next)) {
            return [`no command "${path.join(" ")}" (${entry.name} has no subcommand "${next}" in the table)`];
        }
        const allowed = new Set(cliFlags(entry.name));
        const given = new Set(words.slice(depth).map((w) => w.split("=")[0]));
        const unknown = words.slice(depth).filter((w) => /^--?[A-Za-z]/.test(w) && !allowed.has(w.split("=")[0])).map((w) => `${entry.name} has no flag ${w.split("=")[0]} (${entry.source})`);
        // A bare `aws kms enable-key` names the command in prose; `...` stands for flags the page leaves out.
        const runnable = words.length > depth && !words.includes("...");
        const missing = runnable ? (entry.required?.split(" ") ?? []).filter((r) => !r.split("|").some((flag) => given.has(flag))) : [];
        return [...unknown, ...missing.map((r) => `${entry.name} needs ${r.replace("|", " or ")} (${entry.source}: required)`)];
    });
}

/** The flags the table gives `command` (an entry's name, `aws sns subscribe`), its ancestors' persistent ones too. */
export function cliFlags(command: string): string[] {
    const words = command.split(" ");
    const entry = cliCommands.get(command);
    if (!entry) throw new Error(`the CLI table (tests/harness/cliTable.ts) has no "${command}": add it, naming its source`);
    const persistent = words.map((_, i) => cliCommands.get(words.slice(0, i + 1).join(" "))?.persistent ?? "");
    return [entry.flags, ...persistent].join(" ").split(" ").filter((f) => f !== "");
}
