// @ts-check
'use strict';

// Reading requests and writing answers. An Answer is decided first and written later, so latency,
// faults and socket drops can sit between the two.

const { newRequestId } = require('./ids');

/**
 * @typedef {object} Answer
 * @property {number} status
 * @property {Record<string, string>} headers
 * @property {string} payload the raw response body
 */

/** @param {import('node:http').IncomingMessage} request @returns {Promise<string>} */
function readBody(request) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

/** @param {string} rawBody @returns {unknown} undefined when the body is not JSON */
function parseJson(rawBody) {
	try {
		return JSON.parse(rawBody);
	} catch {
		return undefined;
	}
}

/** `application/json`, parameters such as `; charset=utf-8` allowed. @param {string | undefined} contentType */
function isJsonContentType(contentType) {
	return (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * A JSON answer whose request_id is fresh (added, or replacing the one in `body`).
 * @param {number} status
 * @param {Record<string, unknown>} body
 * @param {Record<string, string>} [headers]
 * @returns {Answer}
 */
function jsonAnswer(status, body, headers = {}) {
	return {
		status,
		headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
		payload: JSON.stringify({ ...body, request_id: newRequestId() }),
	};
}

/** A success body that an endpoint answers with another status than 200 (/user/create's 201). */
class WithStatus {
	/** @param {number} status @param {Record<string, unknown>} body */
	constructor(status, body) {
		this.status = status;
		this.body = body;
	}
}

/** @param {import('./errors').PlaidFailure} failure @returns {Answer} */
function failureAnswer(failure) {
	return jsonAnswer(failure.status, { ...failure.toBody() });
}

/** @param {import('node:http').ServerResponse} response @param {Answer} answer */
function sendAnswer(response, answer) {
	response.writeHead(answer.status, { ...answer.headers, 'Content-Length': String(Buffer.byteLength(answer.payload)) });
	response.end(answer.payload);
}

module.exports = { readBody, parseJson, isJsonContentType, jsonAnswer, failureAnswer, sendAnswer, WithStatus };
