// What n8n logs when a community package does not load cleanly, from n8n's own loaders: a node or
// credential file that cannot be loaded drops the whole package, logged with the error's message alone
// ("Class could not be found…" in 2.x, the raw TypeError such as "require(...).Plaid is not a
// constructor" in 1.85, "Cannot find module" for a missing import), 2.x names the package in "Failed
// to load package", and a workflow that uses a type nobody loaded gets "Unrecognized node type". Any
// line naming the package with a warning or error word counts too.

import { PACKAGE_NAME } from './communityPackage.mjs';

const LOAD_FAILURES = [
	/Class could not be found/i,
	/Failed to load/i,
	/Unrecognized (node|credential) type/i,
	/is already registered/i,
	/could not be loaded/i,
	/is not a constructor/i,
	/Cannot find module/i,
];
const TROUBLE = /\b(warn(ing)?|error|fail(ed|ure)?|deprecated|invalid|unknown)\b/i;

/**
 * The lines of n8n's output that say something went wrong with loading the package. Indented lines
 * are left out: they are stack frames and the run JSON `n8n execute` prints, not log messages.
 */
export function packageLoadProblems(output) {
	return output
		.split('\n')
		.filter((line) => !/^\s/.test(line))
		.filter((line) => LOAD_FAILURES.some((pattern) => pattern.test(line)) || (line.includes(PACKAGE_NAME) && TROUBLE.test(line)));
}
