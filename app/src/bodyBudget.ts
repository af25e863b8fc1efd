/** Bytes of one request's body held against the budget. */
export interface Reservation {
    /** Holds `bytes` more; false when they do not fit now. */
    grow(bytes: number): boolean;
    release(): void;
}

/**
 * The bytes of request bodies the process holds at once. A request reserves its declared Content-Length before
 * its body is read (a chunked body, as its chunks arrive) and gives it back when it is answered; one that does
 * not fit is refused at once, so memory stays bounded however many uploads arrive together.
 */
export class BodyBudget {
    private reserved = 0;

    constructor(readonly limitBytes: number) {}

    /** A reservation of `bytes`, or undefined when they do not fit now. */
    tryReserve(bytes: number): Reservation | undefined {
        if (this.reserved + bytes > this.limitBytes) return undefined;
        this.reserved += bytes;
        let held = bytes;
        return {
            grow: (more) => {
                if (this.reserved + more > this.limitBytes) return false;
                this.reserved += more;
                held += more;
                return true;
            },
            release: () => {
                this.reserved -= held;
                held = 0;
            },
        };
    }
}
