import { awsCliOption } from "./awsCliOption";

/**
 * The command that shows the permissions boundary of the identity an IAM denial names ("User: <arn> is not authorized
 * to perform: ..."), by the ARN's form (IAM User Guide, "IAM identifiers"): a user, arn:aws:iam::<account>:user/<path>/<name>;
 * a role, arn:aws:iam::<account>:role/<path>/<name>; a role's session, arn:aws:sts::<account>:assumed-role/<name>/<session>.
 * GetRole and GetUser answer it as Role.PermissionsBoundary and User.PermissionsBoundary (botocore iam service-2.json).
 * Their names match [\w+=,.@-]+ (roleNameType, userNameType): none special to a POSIX shell, but zsh reads a word
 * beginning with `=` as a command's path (zshoptions, EQUALS, on by default: `=deployer` fails "deployer not found"),
 * so the name is printed as a shell argument, quoted where it holds `=`; and one may begin with `-`, which the CLI
 * would read as an option (awsCliOption).
 */
export function permissionsBoundaryCommand(denial: string): string | undefined {
    const identity = /\bUser: arn:aws[\w-]*:(?:iam::\d+:(user|role)\/(?:[^\s]*\/)?|sts::\d+:(assumed-role)\/)([\w+=,.@-]+)[/\s]/.exec(denial);
    if (!identity) return undefined;
    return identity[1] === "user"
        ? `aws iam get-user ${awsCliOption("--user-name", identity[3])} --query User.PermissionsBoundary`
        : `aws iam get-role ${awsCliOption("--role-name", identity[3])} --query Role.PermissionsBoundary`;
}
