/** Runs `use` with a client made for it, then destroys the client: its open sockets would keep the process alive. */
export async function withClient<C extends { destroy(): void }, T>(client: C, use: (client: C) => Promise<T>): Promise<T> {
    try {
        return await use(client);
    } finally {
        client.destroy();
    }
}
