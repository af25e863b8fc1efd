/**
 * The two registries' documented cleanup rules, as simulators the cleanup specs run the program's rules through.
 *
 * ECR lifecycle policies (ECR User Guide, "Lifecycle policy evaluation rules" and "Examples of lifecycle policies"):
 * each rule selects, of all the images, those its tag status and patterns match (a rule with several tag patterns
 * selects images that carry all of them) and marks those past its count (`imageCountMoreThan` keeps the newest
 * `countNumber`) or age (`sinceImagePushed`); "an image is expired by exactly one or zero rules", and "an image that
 * matches the tagging requirements of a higher priority rule cannot be expired by a rule with a lower priority", but
 * rules "can still identify them as if they haven't been expired": a rule counts images a higher one decides. So an
 * image goes when the first rule that selects it marks it. (Example A: rule 1 keeps one prod* image, rule 2 one
 * beta*; of A [beta-1, prod-1], B [beta-2, prod-2] and C [beta-3], newest last, rule 2 marks A and B, but B is
 * rule 1's and rule 1 keeps it: only A expires.)
 *
 * Artifact Registry cleanup policies (Artifact Registry docs, "Cleanup policies overview" and the REST reference of
 * CleanupPolicyCondition): a version matched by any KEEP policy is kept, whatever the order; `mostRecentVersions`
 * keeps the newest `keepCount`; otherwise a matching DELETE deletes it. A condition's fields must all match
 * (tag state; any tag prefix; any version-name prefix). A repository with immutable tags never deletes a tagged
 * version.
 */

export interface EcrImage {
    tags: string[];
    pushedDaysAgo: number;
}

export const newerImages = (n: number): EcrImage[] => Array.from({ length: n }, (_, i) => ({ tags: [`c-new-${i}`], pushedDaysAgo: i }));

/** The tags of the images ECR's lifecycle policy expires. */
export function ecrExpiredBy(rules: any[], images: EcrImage[]): string[] {
    const byPriority = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
    const selects = (s: any, img: EcrImage) =>
        s.tagStatus === "any" ||
        (s.tagStatus === "untagged" && img.tags.length === 0) ||
        (s.tagStatus === "tagged" && (s.tagPatternList ?? []).every((p: string) => img.tags.some((t) => new RegExp(`^${p.replace(/\*/g, ".*")}$`).test(t))));
    const marked = (s: any): EcrImage[] => {
        const selected = images.filter((img) => selects(s, img)).sort((a, b) => a.pushedDaysAgo - b.pushedDaysAgo);
        return s.countType === "imageCountMoreThan" ? selected.slice(s.countNumber) : selected.filter((i) => i.pushedDaysAgo > s.countNumber);
    };
    const marks = new Map(byPriority.map((rule) => [rule, marked(rule.selection)]));
    return images.filter((img) => {
        const decidedBy = byPriority.find((rule) => selects(rule.selection, img));
        return decidedBy !== undefined && marks.get(decidedBy)!.includes(img);
    }).flatMap((img) => img.tags);
}

export interface ArVersion {
    /** The version's name: its digest, `sha256:...`. */
    name: string;
    tags: string[];
    ageDays: number;
}

/** The versions Artifact Registry's cleanup deletes, by name. */
export function arDeletedBy(policies: any[], versions: ArVersion[], repository: { immutableTags: boolean }): string[] {
    const matches = (c: any, v: ArVersion) =>
        (c.tagState === "UNTAGGED" ? v.tags.length === 0 : c.tagState === "TAGGED" ? v.tags.length > 0 : true) &&
        (!c.tagPrefixes || v.tags.some((t) => c.tagPrefixes.some((p: string) => t.startsWith(p)))) &&
        (!c.versionNamePrefixes || c.versionNamePrefixes.some((p: string) => v.name.startsWith(p)));
    const newest = [...versions].sort((a, b) => a.ageDays - b.ageDays);
    const kept = (v: ArVersion) =>
        (repository.immutableTags && v.tags.length > 0) ||
        policies.some((p) => p.action === "KEEP" && (p.mostRecentVersions ? newest.indexOf(v) < p.mostRecentVersions.keepCount : matches(p.condition, v)));
    return versions.filter((v) => !kept(v) && policies.some((p) => p.action === "DELETE" && matches(p.condition, v))).map((v) => v.name);
}

/** `n` builds, newest first, each tagged with its content tag and named by its digest. */
export const arBuilds = (n: number, from = 0): ArVersion[] =>
    Array.from({ length: n }, (_, i) => ({ name: `sha256:${String(from + i).padStart(64, "0")}`, tags: [`c-build-${from + i}`], ageDays: from + i }));
