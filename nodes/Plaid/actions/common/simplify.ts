import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseBoolean } from '../../helpers/fields';

const SIMPLIFY_DESCRIPTION = 'Whether to return a simplified version of the response instead of the raw data';

/**
 * "Simplify", as n8n's nodes offer it. Off in node version 1, so that a saved version-1
 * workflow (n8n stores only what differs from the defaults) keeps Plaid's full objects; on from
 * version 1.1, for new nodes. n8n picks the property whose `@version` matches the node.
 */
export function simplifyProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: false,
			description: SIMPLIFY_DESCRIPTION,
			displayOptions: { show: { '@version': [1] } },
		},
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: SIMPLIFY_DESCRIPTION,
			displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } },
		},
	];
}

/** Reads Simplify for item `i`: true or false, nothing else (an expression may give anything). */
export function getSimplify(this: IExecuteFunctions, i: number): boolean {
	return parseBoolean(this.getNodeParameter('simplify', i, false), 'Simplify', false);
}
