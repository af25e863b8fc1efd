/**
 * Words of a command line the project prints for a reader to paste into a POSIX shell, which reach the program as
 * written, whatever they hold (an address's `&` or `'`, a name's spaces, a URN's `$`).
 */

/** Single-quoted, each `'` in it closed, escaped and reopened. */
export const shellWord = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** As written where it has only characters no shell (sh, bash, zsh) reads as its own, else single-quoted: `a@b.org`, `'a b'`. */
export const shellArgument = (word: string) => (/^[A-Za-z0-9_./:@,+-]+$/.test(word) ? word : shellWord(word));
