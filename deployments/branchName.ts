/**
 * Why git refuses a branch name, or undefined: no branch of that name can exist, so Deployments would watch a branch
 * nothing is ever pushed to and the image roles would trust a ref no token names. The rules of
 * `git check-ref-format --branch` (git's Documentation/git-check-ref-format.txt, rules 1 and 3-10, for refs/heads/<name>),
 * and a branch name may not start with '-' or be HEAD (git's strbuf_check_branch_ref). GitHub makes branches with git.
 */
export function gitBranchProblem(branch: string): string | undefined {
    const rule = (why: string) => `${JSON.stringify(branch)} is not a valid branch name: ${why} (git check-ref-format)`;
    const components = branch.split("/");
    if (branch.startsWith("-")) return rule("it starts with '-'");
    if (branch === "HEAD" || branch === "@") return rule(`${branch} names no branch`);
    if (/[\x00-\x20\x7f~^:?*[\\]/.test(branch)) return rule("it has a space, a control character or one of ~ ^ : ? * [ \\");
    if (branch.includes("..")) return rule("it has '..'");
    if (branch.includes("@{")) return rule("it has '@{'");
    if (components.some((part) => part === "")) return rule("it starts or ends with '/', or has '//'");
    if (components.some((part) => part.startsWith("."))) return rule("a part between '/' starts with '.'");
    if (components.some((part) => part.endsWith(".lock"))) return rule("a part between '/' ends with '.lock'");
    if (branch.endsWith(".")) return rule("it ends with '.'");
    return undefined;
}
