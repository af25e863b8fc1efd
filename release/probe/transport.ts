/** One HTTP request to the new version alone, however its cloud reaches it (a Lambda Invoke, a tagged Cloud Run URL). */
export interface ProbeRequest {
    method: "GET" | "POST";
    path: string;
    body?: string;
}

export interface ProbeResponse {
    status: number;
    body: string;
}

/** Resolves with the service's answer; rejects when none came (network, invoke or function error). */
export type Transport = (request: ProbeRequest) => Promise<ProbeResponse>;
