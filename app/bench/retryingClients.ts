/**
 * `clients` clients at once, each sending its request again after the answer's Retry-After (jittered between half
 * and one and a half times it; 1 s without one) until `settled` says its answer is final, or `maxTries` answers are
 * spent. Counts each answer's status (or "no answer"), and the 503s that came without Retry-After.
 */
export async function retryingClients(
    clients: number,
    maxTries: number,
    send: (client: number) => Promise<Response>,
    settled: (res: Response | undefined, client: number) => Promise<boolean>,
): Promise<{ statuses: Record<string, number>; refusedWithoutRetryAfter: number }> {
    const statuses: Record<string, number> = {};
    let refusedWithoutRetryAfter = 0;
    await Promise.all(
        Array.from({ length: clients }, async (_, client) => {
            for (let attempt = 0; attempt < maxTries; attempt++) {
                const res = await send(client).catch(() => undefined);
                const status = res?.status ?? "no answer";
                statuses[status] = (statuses[status] ?? 0) + 1;
                if (await settled(res, client)) return;
                const retryAfter = res?.headers.get("retry-after");
                if (res?.status === 503 && !retryAfter) refusedWithoutRetryAfter++;
                await new Promise((r) => setTimeout(r, Number(retryAfter ?? 1) * 1000 * (0.5 + Math.random())));
            }
        }),
    );
    return { statuses, refusedWithoutRetryAfter };
}
