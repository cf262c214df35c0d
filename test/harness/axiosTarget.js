// @ts-check
/**
 * Where the axios that n8n's HTTP client uses would send a request, for comparing the
 * credential's own resolution of `url` against `baseURL` with it.
 */
const path = require('node:path');

const axios = require(require.resolve('axios', { paths: [path.dirname(require.resolve('@n8n/backend-network'))] }));

/**
 * The URL axios's Node adapter requests (`new URL(buildFullPath(baseURL, url))`), or undefined when
 * axios refuses the URL or cannot parse it, so that nothing would be sent.
 * @param {string} baseURL @param {string} url
 * @returns {string | undefined}
 */
function axiosRequestUrl(baseURL, url) {
	let full;
	try {
		full = axios.getUri({ baseURL, url });
	} catch {
		return undefined;
	}
	return URL.canParse(full) ? new URL(full).href : undefined;
}

module.exports = { axiosRequestUrl, axiosVersion: axios.VERSION };
