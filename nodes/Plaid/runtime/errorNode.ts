import type { INode } from 'n8n-workflow';

import { isUserToken } from '../../shared/tokens';
import { capText } from '../helpers/text';

/** A parameter's text stored with an error stops after this: a pasted list of 100,000 Item IDs would be megabytes. */
const MAX_PARAMETER_CHARS = 1_000;

/**
 * n8n attaches the node, parameters included, to every node error and keeps it with the execution,
 * in logs and in error reports. The copy attached here hides a token typed into a password field (or
 * a user token typed as a User ID, which Plaid's migration path accepts) and cuts long text.
 * `node` is declared read-only by n8n's types but is a plain field its constructor sets once, so it
 * is replaced rather than changed. Guarded by: the secret guard of every engine test; e2e secret scans.
 */
export function storeWithoutSecrets<E extends { node: INode }>(error: E, secretParameters: readonly string[]): E {
	const parameters = { ...error.node.parameters };
	for (const [name, value] of Object.entries(parameters)) {
		if (typeof value !== 'string' || value === '' || value.startsWith('=')) continue;
		if (secretParameters.includes(name) || isUserToken(value)) parameters[name] = '[hidden]';
		else parameters[name] = capText(value, MAX_PARAMETER_CHARS);
	}
	Object.assign(error, { node: { ...error.node, parameters } });
	return error;
}
