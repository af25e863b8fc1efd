/**
 * Where the registry API of an image reference answers, and the repository's name there. Docker Hub's references
 * (`docker.io/...`, the legacy `index.docker.io/...`) name a registry whose API is served by `registry-1.docker.io`,
 * and its official images live under `library/` (moby/moby registry/config.go, DefaultRegistryHost: "docker.io ...
 * does not match the domain-name of Docker Hub's registry"; distribution/reference normalize.go, officialRepoPrefix).
 * Every other host serves its own API.
 */
export function registryLocation(repository: string): { host: string; name: string } {
    const [host, ...path] = repository.split("/");
    if (host !== "docker.io" && host !== "index.docker.io") return { host, name: path.join("/") };
    return { host: "registry-1.docker.io", name: path.length === 1 ? `library/${path[0]}` : path.join("/") };
}

/**
 * Google's registries, the only hosts a Google access token may be sent to as a registry login: Artifact Registry
 * (`<location>-docker.pkg.dev`) and Container Registry (`gcr.io` and its regional hosts).
 */
export function isGoogleRegistry(host: string): boolean {
    return /^[a-z0-9-]+-docker\.pkg\.dev$/.test(host) || /^(?:[a-z]+\.)?gcr\.io$/.test(host);
}
