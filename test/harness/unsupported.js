// @ts-check
/**
 * The stand-ins' refusal of what the examples do not use: a stand-in that guessed at behaviour it
 * does not have would let an example rely on it unnoticed.
 * @param {string} what
 */
function unsupported(what) {
	return new Error(`test stand-in: ${what} is not implemented; the examples do not use it`);
}

module.exports = { unsupported };
