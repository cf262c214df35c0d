// @ts-check
/**
 * Runs a piece of a test with some environment variables set (HTTP_PROXY, NO_PROXY, …) or, given
 * undefined, unset, and puts the environment back as it was afterwards. n8n reads its proxy
 * variables at each request.
 */

/**
 * @template T
 * @param {Record<string, string | undefined>} variables
 * @param {() => Promise<T>} action
 * @returns {Promise<T>}
 */
async function withEnvironment(variables, action) {
	const before = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
	for (const [name, value] of Object.entries(variables)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	try {
		return await action();
	} finally {
		for (const [name, value] of Object.entries(before)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	}
}

module.exports = { withEnvironment };
