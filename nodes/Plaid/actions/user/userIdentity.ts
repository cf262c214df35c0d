import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseRequiredString } from '../../helpers/parse';
import { isUserToken, parseToken } from '../../../shared/tokens';
import type { UserIdentity } from '../../removal/userItems';
import { credentialEnvironmentOf } from '../../transport';

/** The User ID parameter; `show` adds conditions of the operation's own. */
export function userIdProperty(description = 'The Plaid user_id of the user', show?: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. usr_8c3ZbDBYjaqUXZ',
		description,
		...(show ? { displayOptions: { show } } : {}),
	};
}

/** The Item IDs parameter (parsed by helpers/parse.ts parseItemIds); `show` adds conditions of the operation's own. */
export function itemIdsProperty(description: string, show?: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Item IDs',
		name: 'itemIds',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		placeholder: 'e.g. eVBnVMp7zdTJLkRNr33Rs6zr7KNJqBFL9DrE6, 6bDr7MEBaLUQrqXLKGZQtzRvXbzDjNsm4Ga3D',
		description,
		...(show ? { displayOptions: { show } } : {}),
	};
}

/**
 * How a user operation names the Plaid user: by `user_id` (the current API) or by
 * `user_token` (integrations created before Plaid's new user APIs).
 */
export function userIdentityProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Identify User By',
			name: 'identifyBy',
			type: 'options',
			noDataExpression: true,
			default: 'userId',
			options: [
				{
					name: 'User ID',
					value: 'userId',
					description: 'The user_id returned by /user/create',
				},
				{
					name: 'User Token (Legacy)',
					value: 'userToken',
					description: 'The user_token of integrations that predate Plaid’s user_id',
				},
			],
		},
		userIdProperty(undefined, { identifyBy: ['userId'] }),
		{
			displayName: 'User Token',
			name: 'userToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The Plaid user_token of the user. It is sent to Plaid only and never appears in the output. Keep it out of AI agent tools: a value a model fills in passes through the model provider.',
			displayOptions: { show: { identifyBy: ['userToken'] } },
		},
	];
}

export type { UserIdentity };

/**
 * Reads and validates the user identification of item `i`, as Plaid's request fields. A legacy user
 * token must be of the credential's environment, whether given as User Token or, as Plaid's migration
 * path allows, as User ID; it is a secret either way (see publicUserFields).
 */
export function getUserIdentity(this: IExecuteFunctions, i: number): UserIdentity {
	const identifyBy = this.getNodeParameter('identifyBy', i, 'userId') as string;
	const environment = credentialEnvironmentOf(this);
	if (identifyBy === 'userToken') {
		return { user_token: parseToken(parseRequiredString(this.getNodeParameter('userToken', i, ''), 'User Token'), 'user', 'User Token', environment) };
	}
	return { user_id: parseUserId(this.getNodeParameter('userId', i, ''), environment) };
}

/** A User ID; a user token given there (Plaid's migration path) is checked like one. */
export function parseUserId(value: unknown, environment: string | undefined, parameterName = 'User ID'): string {
	const userId = parseRequiredString(value, parameterName);
	if (isUserToken(userId)) return parseToken(userId, 'user', parameterName, environment);
	return userId;
}

/** The part of the identity that may be shown in an output: a user_id, never a token (even given as User ID). */
export function publicUserFields(identity: UserIdentity): IDataObject {
	return 'user_id' in identity && !isUserToken(identity.user_id) ? { user_id: identity.user_id } : {};
}

/**
 * What Plaid answers for a user it does not know (errors.md: USER_NOT_FOUND "never created", "created
 * in a different environment" or "previously deleted"; by token, INVALID_USER_TOKEN).
 */
export const USER_GONE_CODES = ['USER_NOT_FOUND', 'INVALID_USER_TOKEN'];
