/** Bytes of one body held against the budget. */
export interface Reservation {
    /**
     * Holds `bytes` in all, what it holds already counted (a request's declared length, a read's earlier size); false
     * when they do not fit now, or once released. As such it is the ReadAdmission of a read or a request body.
     */
    holdInAll(bytes: number): boolean;
    release(): void;
}

/**
 * The bytes of bodies the process holds at once: request bodies, and the objects reads hold until their answer
 * has been handed over. A request reserves its declared Content-Length before its body is read (a chunked body,
 * as its chunks arrive), a read its object's size before its bytes are read, and each gives it back when it is
 * answered; one that does not fit is refused at once, so memory stays bounded however many arrive together.
 */
export class BodyBudget {
    private reserved = 0;

    constructor(readonly limitBytes: number) {}

    /** Bytes reserved now (what tests and the bench watch). */
    get heldBytes(): number {
        return this.reserved;
    }

    /** A reservation of `bytes`, or undefined when they do not fit now. */
    tryReserve(bytes: number): Reservation | undefined {
        if (this.reserved + bytes > this.limitBytes) return undefined;
        this.reserved += bytes;
        let held = bytes;
        let released = false;
        return {
            // A read the guard gave up on at its deadline may still be running, and must not hold bytes nobody releases.
            holdInAll: (bytes) => {
                const more = Math.max(0, bytes - held);
                if (released || this.reserved + more > this.limitBytes) return false;
                this.reserved += more;
                held += more;
                return true;
            },
            release: () => {
                this.reserved -= held;
                held = 0;
                released = true;
            },
        };
    }
}
