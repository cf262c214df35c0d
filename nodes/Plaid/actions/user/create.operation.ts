import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildClientUserIdentity } from '../../helpers/clientUserIdentity';
import { parseBoolean, parseBoundedString } from '../../helpers/fields';
import { plaidApiRequest, type PlaidNodeApiError } from '../../transport';
import { addNote } from '../common/irreversible';

const show = { resource: ['user'], operation: ['create'] };

/** Plaid's limit for `client_user_id` (spec UserCreateRequest). */
const CLIENT_USER_ID_MAX_LENGTH = 128;

const text = (name: string, displayName: string, description: string, placeholder: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
	description,
});

export const description: INodeProperties[] = [
	{
		displayName: 'Client User ID',
		name: 'clientUserId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. customer-1001',
		description:
			'Your own ID for the customer, at most 128 characters; Plaid keeps one user per client_user_id. No personal data (no email address or phone number).',
		displayOptions: { show },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The customer’s identity, sent as Plaid’s "identity" object (the email, phone number and address given are the primary ones)',
		displayOptions: { show },
		options: [
			text('city', 'City', 'City of the address', 'e.g. San Francisco'),
			text('country', 'Country', 'Two-letter country code of the address; required with any address field', 'e.g. US'),
			text('dateOfBirth', 'Date of Birth', 'Written yyyy-mm-dd', 'e.g. 1990-04-17'),
			text('email', 'Email', 'The customer’s email address', 'e.g. name@email.com'),
			text('familyName', 'Family Name', 'Required together with Given Name', 'e.g. Doe'),
			text('givenName', 'Given Name', 'Required together with Family Name', 'e.g. Jane'),
			text('phoneNumber', 'Phone Number', 'In E.164 format', 'e.g. +14155550123'),
			text('postalCode', 'Postal Code', 'Postal or ZIP code of the address', 'e.g. 94103'),
			text('region', 'Region', 'State, province or region of the address', 'e.g. CA'),
			text('street', 'Street', 'First line of the street address', 'e.g. 100 Market Street'),
			text('street2', 'Street Line 2', 'Second line of the street address', 'e.g. Apt 4'),
			{
				displayName: 'Use New User API',
				name: 'withUpgradedUser',
				type: 'boolean',
				default: false,
				description:
					'Whether to opt into Plaid’s new user API (sends with_upgraded_user). Only for integrations of the user API that predate December 10, 2025; needed there to send identity fields.',
			},
		],
	},
];

/**
 * Creates a Plaid user with /user/create. Plaid keeps one user per client_user_id: a second
 * create for the same one fails rather than returning the existing user.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const clientUserId = parseBoundedString(
		this.getNodeParameter('clientUserId', i, ''),
		'Client User ID',
		CLIENT_USER_ID_MAX_LENGTH,
	);
	const fields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const identity = buildClientUserIdentity(fields);
	const upgraded = parseBoolean(fields.withUpgradedUser, 'Use New User API', false);

	let response: IDataObject;
	try {
		response = await plaidApiRequest.call(this, '/user/create', {
			client_user_id: clientUserId,
			...(identity ? { identity } : {}),
			...(upgraded ? { with_upgraded_user: true } : {}),
		}, { itemIndex: i });
	} catch (error) {
		throw userMayExist(error, clientUserId);
	}
	// Legacy integrations also get a user_token; Plaid shows it this once, so it is passed on.
	return {
		user_id: response.user_id,
		...(typeof response.user_token === 'string' ? { user_token: response.user_token } : {}),
		request_id: response.request_id,
	};
}

/**
 * A create whose earlier attempt may have gone through (its answer lost to a timeout, a dropped
 * connection or a server error) is not a plain failure: the user may exist, and its user_id (or a
 * legacy user_token, shown only once) was never seen. A retry then fails on the duplicate
 * client_user_id, so the error says so and names the client_user_id to look it up by.
 */
function userMayExist(error: unknown, clientUserId: string): unknown {
	const apiError = error as PlaidNodeApiError;
	if (apiError?.mayHaveActed !== true) return error;
	addNote(
		apiError,
		`Plaid may have created the user for client_user_id "${clientUserId}" on an attempt whose answer was lost: check for it (Plaid Dashboard, your own records) before creating it again`,
	);
	apiError.itemFields = { ...apiError.itemFields, client_user_id: clientUserId, user_may_exist: true };
	return apiError;
}
