// @ts-check
'use strict';

// Checks a parsed body against an endpoint schema in Plaid's order of complaints: unknown fields,
// then missing required fields, then the first field with a wrong type or value.

const { PlaidFailure, fieldListFailure } = require('./errors');

/** @typedef {import('./schemas').FieldSpec} FieldSpec */
/** @typedef {import('./schemas').EndpointSchema} EndpointSchema */
/** @typedef {Record<string, unknown>} JsonObject */

/** @param {unknown} value @returns {value is JsonObject} */
function isJsonObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {string} prefix @param {string} name */
const join = (prefix, name) => (prefix ? `${prefix}.${name}` : name);

/**
 * Field paths present in `body` that the schema does not name, nested objects included.
 * @param {Record<string, FieldSpec>} fields
 * @param {JsonObject} body
 * @param {string} prefix
 * @returns {string[]}
 */
function unknownFields(fields, body, prefix) {
	return Object.keys(body).flatMap((name) => {
		if (!Object.hasOwn(fields, name)) return [join(prefix, name)];
		const spec = fields[name];
		const value = body[name];
		return spec.fields && isJsonObject(value) ? unknownFields(spec.fields, value, join(prefix, name)) : [];
	});
}

/**
 * Required fields that are absent or null, nested closed objects included.
 * @param {Record<string, FieldSpec>} fields
 * @param {string[]} required
 * @param {JsonObject} body
 * @param {string} prefix
 * @returns {string[]}
 */
function missingFields(fields, required, body, prefix) {
	const missingHere = required.filter((name) => body[name] === undefined || body[name] === null);
	const missingInside = Object.entries(fields).flatMap(([name, spec]) => {
		const value = body[name];
		return spec.fields && isJsonObject(value)
			? missingFields(spec.fields, spec.required ?? [], value, join(prefix, name))
			: [];
	});
	return [...missingHere.map((name) => join(prefix, name)), ...missingInside];
}

/** @param {FieldSpec} spec @returns {string} */
function describeType(spec) {
	switch (spec.type) {
		case 'string':
			return 'a string';
		case 'integer':
			return 'an integer';
		case 'boolean':
			return 'a boolean';
		case 'object':
			return 'an object';
		case 'array':
			return spec.items ? `an array of ${describeType(spec.items).replace(/^an? /, '')}s` : 'an array';
	}
}

/** @param {FieldSpec} spec @param {unknown} value */
function hasType(spec, value) {
	switch (spec.type) {
		case 'string':
			return typeof value === 'string';
		case 'integer':
			return Number.isInteger(value);
		case 'boolean':
			return typeof value === 'boolean';
		case 'object':
			return isJsonObject(value);
		case 'array':
			return Array.isArray(value);
	}
}

/**
 * What is wrong with one value, or null when it fits its spec.
 * @param {FieldSpec} spec
 * @param {unknown} value
 * @param {string} path
 * @returns {string | null}
 */
function fieldProblem(spec, value, path) {
	if (value === null) return spec.nullable ? null : `${path} must be ${describeType(spec)}, not null`;
	if (!hasType(spec, value)) return `${path} must be ${describeType(spec)}`;
	if (typeof value === 'string') return stringProblem(spec, value, path);
	if (typeof value === 'number') return rangeProblem(spec, value, path);
	if (Array.isArray(value)) return arrayProblem(spec, value, path);
	if (spec.fields && isJsonObject(value)) return objectProblem(spec.fields, value, path);
	return null;
}

/** An absolute http(s) URL with a host, as Plaid's webhook fields want. @param {string} value */
function isHttpUrl(value) {
	if (!URL.canParse(value)) return false;
	const url = new URL(value);
	return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
}

/** @param {FieldSpec} spec @param {string} value @param {string} path */
function stringProblem(spec, value, path) {
	if (spec.enum && !spec.enum.includes(value)) return `${path} must be one of: ${spec.enum.join(', ')}`;
	if (spec.format === 'url' && !isHttpUrl(value)) return `${path} must be a valid URL`;
	// JSON Schema's minLength / maxLength count characters (code points), not UTF-16 units.
	const length = [...value].length;
	if (spec.minLength !== undefined && length < spec.minLength) {
		return `${path} must be at least ${spec.minLength} characters long`;
	}
	if (spec.maxLength !== undefined && length > spec.maxLength) {
		return `${path} must be at most ${spec.maxLength} characters long`;
	}
	return null;
}

/** @param {FieldSpec} spec @param {number} value @param {string} path */
function rangeProblem(spec, value, path) {
	if (spec.minimum !== undefined && value < spec.minimum) return `${path} must be at least ${spec.minimum}`;
	if (spec.maximum !== undefined && value > spec.maximum) return `${path} must be at most ${spec.maximum}`;
	return null;
}

/** @param {FieldSpec} spec @param {unknown[]} value @param {string} path */
function arrayProblem(spec, value, path) {
	if (spec.minItems !== undefined && value.length < spec.minItems) {
		return `${path} must contain at least ${spec.minItems} element${spec.minItems === 1 ? '' : 's'}`;
	}
	if (spec.maxItems !== undefined && value.length > spec.maxItems) return `${path} must contain at most ${spec.maxItems} elements`;
	const itemSpec = spec.items;
	if (!itemSpec) return null;
	for (let i = 0; i < value.length; i++) {
		if (!hasType(itemSpec, value[i])) return `${path} must be ${describeType(spec)} (${path}[${i}] is not)`;
		const problem = fieldProblem(itemSpec, value[i], `${path}[${i}]`);
		if (problem) return problem;
	}
	return null;
}

/** @param {Record<string, FieldSpec>} fields @param {JsonObject} value @param {string} prefix */
function objectProblem(fields, value, prefix) {
	for (const [name, spec] of Object.entries(fields)) {
		if (value[name] === undefined) continue;
		const problem = fieldProblem(spec, value[name], join(prefix, name));
		if (problem) return problem;
	}
	return null;
}

/**
 * Throws the PlaidFailure Plaid would answer with, or returns when the body fits.
 * @param {EndpointSchema} schema
 * @param {JsonObject} body
 */
function validateBody(schema, body) {
	const unknown = unknownFields(schema.fields, body, '');
	if (unknown.length > 0) throw fieldListFailure('UNKNOWN_FIELDS', unknown);
	const missing = missingFields(schema.fields, schema.required, body, '');
	if (missing.length > 0) throw fieldListFailure('MISSING_FIELDS', missing);
	const problem = objectProblem(schema.fields, body, '');
	if (problem) throw new PlaidFailure('INVALID_FIELD', problem);
}

module.exports = { validateBody, isJsonObject };
