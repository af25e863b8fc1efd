import { shellArgument } from "../shellWord";

/**
 * An option of a printed aws command and its value, `--name value`, or `--name=value` where the value begins with "-".
 * The aws CLI reads its options with Python's argparse as it is (aws/aws-cli awscli/argparser.py: ArgTableArgParser
 * changes none of its reading), and argparse reads a word that begins with "-" as an option, not a value, unless it
 * looks like a negative number or holds a space (CPython Lib/argparse.py, _parse_optional): `--alarm-name -api` fails
 * "argument --alarm-name: expected one argument". `--name=value` it splits at the first "=" and takes the rest whole.
 */
export const awsCliOption = (name: string, value: string) => (value.startsWith("-") ? `${name}=${shellArgument(value)}` : `${name} ${shellArgument(value)}`);
