// The Plaid node's description from the build that was packed, so that the editor check names
// resources, operations, options and fields by their values (the contract) and reads the labels the
// editor shows from the package itself: a relabelled action or operation changes no check.

import { createRequire } from 'node:module';
import path from 'node:path';

export const NEWEST_VERSION = 1.1;

/**
 * Whether a property's displayOptions show it for these parameter values in this node version;
 * conditions on parameters not among `values` (e.g. Item IDs on Items to Remove) are not asked.
 */
function shown(property, values, version) {
	const show = property.displayOptions?.show ?? {};
	return Object.entries(show).every(([name, allowed]) => {
		if (name === '@version') return allowed.some((condition) => (typeof condition === 'number' ? condition === version : version >= condition._cnd.gte));
		return !(name in values) || allowed.includes(values[name]);
	});
}

export function plaidDescription(repoDir) {
	const { Plaid } = createRequire(path.join(repoDir, 'package.json'))('./dist/nodes/Plaid/Plaid.node.js');
	const { properties } = new Plaid().description;
	/** The property `name` shown for these values (resource, operation) in the newest version. */
	const property = (name, values) => {
		const found = properties.find((candidate) => candidate.name === name && shown(candidate, values, NEWEST_VERSION));
		if (!found) throw new Error(`the Plaid node has no "${name}" for ${JSON.stringify(values)}`);
		return found;
	};
	const option = (owner, value) => {
		const found = owner.options.find((candidate) => candidate.value === value || candidate.name === value);
		if (!found) throw new Error(`"${owner.displayName}" has no option ${value}`);
		return found;
	};
	const optionsCollection = properties.find((candidate) => candidate.name === 'options');
	return {
		/** { name, value, action, description } of an operation. */
		operation: (resource, operation) => option(property('operation', { resource }), operation),
		/** Every operation of a resource, as the Operation dropdown lists them. */
		operations: (resource) => property('operation', { resource }).options,
		resourceName: (resource) => option(property('resource', {}), resource).name,
		/** The default operation a node of `version` takes when its JSON names none. */
		defaultOperation: (resource, version) => properties.find((candidate) => candidate.name === 'operation' && shown(candidate, { resource }, version)).default,
		/** The field `name` of an operation: its displayName, default and options. */
		field: (name, resource, operation) => property(name, { resource, operation }),
		/** The irreversible notice's text on an operation, or undefined where it has none. */
		notice: (resource, operation) =>
			properties.find((candidate) => candidate.type === 'notice' && candidate.name === 'irreversibleNotice' && shown(candidate, { resource, operation }, NEWEST_VERSION))?.displayName,
		/** Every irreversible notice's text. */
		notices: () => [...new Set(properties.filter((candidate) => candidate.name === 'irreversibleNotice').map((candidate) => candidate.displayName))],
		/** The display name of an entry of the Options collection. */
		optionName: (name) => optionsCollection.options.find((candidate) => candidate.name === name).displayName,
	};
}
