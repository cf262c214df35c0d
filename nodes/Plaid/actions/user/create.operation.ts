import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildClientUserIdentity } from '../../helpers/clientUserIdentity';
import { parseBoolean, parseBoundedString } from '../../helpers/fields';
import { isPlaidRefusal, PlaidApiError, plaidApiRequest, type PlaidEndpoint } from '../../transport';
import type { OperationOption } from '../operation';

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

export const option: OperationOption = {
	name: 'Create',
	value: 'create',
	action: 'Create a user',
	description:
		'Create a Plaid user for one of your customers (one per Client User ID) and get the user_id that Link and the other user operations take',
};

export const endpoints: PlaidEndpoint[] = ['/user/create'];

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
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The customer’s identity, sent as Plaid’s "identity" object (the email, phone number and address given are the primary ones)',
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
 * Creates a Plaid user with /user/create. Plaid decides per client which user API applies (by when
 * the client started using it, see CONTRACT.md): under the new one a repeat client_user_id returns the
 * same user_id, a success; under the legacy one a repeat is refused, and the error says the user
 * already exists.
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
		throw explainRefusal(error, clientUserId);
	}
	if (typeof response.user_token === 'string') {
		// Legacy user API: the user_token names the user in every later call, and Plaid shows it this
		// once. Its user_id cannot stand in for the token, so it is not output as one.
		return { user_token: response.user_token, legacy_user_id: response.user_id ?? null, user_api: 'legacy', client_user_id: clientUserId, request_id: response.request_id };
	}
	return { user_id: response.user_id, user_api: 'new', client_user_id: clientUserId, request_id: response.request_id };
}

/** Plaid's words for a client_user_id it already has a user for (the legacy API's refusal of a repeat). */
const ALREADY_EXISTS = /already (been )?(created|exists?)|ALREADY_EXISTS|DUPLICATE/i;

/**
 * A refused create says why in the customer's terms: under the legacy user API a repeat
 * client_user_id is refused, so the user already exists, and its user_token was shown only when it
 * was created. A create whose earlier attempt may have gone through (its answer lost) may have made
 * the user this very run.
 */
function explainRefusal(error: unknown, clientUserId: string): unknown {
	if (!(error instanceof PlaidApiError)) return error;
	if (isPlaidRefusal(error) && ALREADY_EXISTS.test(`${error.plaid?.error_code ?? ''} ${error.message}`)) {
		const lostAttempt = error.mayHaveActed ? '; an attempt of this very call whose answer was lost may have created it' : '';
		return error
			.addNote(
				`a Plaid user already exists for client_user_id "${clientUserId}" (this client is on Plaid's legacy user API, which keeps one user per client_user_id and refuses a repeat)${lostAttempt}. Its user_token was shown only when it was created: look it up in your records.`,
			)
			.addItemFields({ client_user_id: clientUserId, user_exists: true });
	}
	if (!error.mayHaveActed) return error;
	return error
		.addNote(
			`Plaid may have created the user for client_user_id "${clientUserId}" on an attempt whose answer was lost: check for it (Plaid Dashboard, your own records) before creating it again`,
		)
		.addItemFields({ client_user_id: clientUserId, user_may_exist: true });
}
