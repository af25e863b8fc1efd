/**
 * Words of a command line the project prints for a reader to paste into a POSIX shell, which reach the program as
 * written, whatever they hold (an address's `&` or `'`, a name's spaces, a URN's `$`); the empty word as `''`. A NUL
 * cannot: a program's arguments end at one (execve), so no shell passes it. The values printed (Pulumi names, IDs and
 * URNs, alarm names, SNS endpoints) come from the state and AWS, and a word holding one is printed as it is rather
 * than refused: these words go into refusal messages, which must not fail themselves.
 */

/**
 * Single-quoted, each `'` in it closed, escaped and reopened, and each line break followed by a close and reopen, so
 * no line of the command begins with the word's own text: interactive bash history-expands each line it reads, and
 * one beginning with `^` (a quick substitution, "^this^that^" read as "!!:s^this^that^": readline histexpand.c
 * history_expand) is rewritten even inside quotes. Single quotes keep every other character as written in sh, bash and zsh.
 */
export const shellWord = (word: string) => `'${word.replace(/'/g, `'\\''`).replace(/\n/g, "\n''")}'`;

/** As written where it has only characters no shell (sh, bash, zsh) reads as its own, else single-quoted: `a@b.org`, `'a b'`. */
export const shellArgument = (word: string) => (/^[A-Za-z0-9_./:@,+-]+$/.test(word) ? word : shellWord(word));
