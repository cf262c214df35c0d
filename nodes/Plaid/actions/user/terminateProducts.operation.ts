import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseEnumValue } from '../../helpers/fields';
import { parseRequiredString } from '../../helpers/parse';
import { PRODUCTS_TERMINATE_REASONS, parseReasonNote, reasonNoteProperty, valuesOf } from '../../helpers/reasons';
import { irreversibleNotice, removeSingleTarget } from '../common/irreversible';
import { userIdProperty } from './userIdentity';

const show = { resource: ['user'], operation: ['terminateProducts'] };

export const description: INodeProperties[] = [
	irreversibleNotice(show, 'Plaid ends the user’s user-based subscriptions and stops billing them.'),
	// Not the shared user identification: this endpoint takes a user_id only, never a user_token.
	userIdProperty(show, 'The Plaid user_id of the user whose subscriptions end'),
	{
		displayName: 'Reason Code',
		name: 'reasonCode',
		type: 'options',
		default: 'USER_OFFBOARDING',
		required: true,
		options: PRODUCTS_TERMINATE_REASONS,
		description: 'Why the subscriptions end, as Plaid records it',
		displayOptions: { show },
	},
	reasonNoteProperty(show),
];

/**
 * Ends the user's user-based subscriptions with /user/products/terminate: billing for them
 * stops. Per-Item billing is not touched: removing the Items ends it. A user that is gone has no
 * subscriptions left: "already removed" is settled by /user/items/get answering USER_NOT_FOUND.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const userId = parseRequiredString(this.getNodeParameter('userId', i, ''), 'User ID');
	const reasonCode = parseEnumValue(
		this.getNodeParameter('reasonCode', i, ''),
		valuesOf(PRODUCTS_TERMINATE_REASONS),
		'Reason Code',
	);
	const reasonNote = parseReasonNote(this.getNodeParameter('reasonNote', i, ''));

	return await removeSingleTarget.call(this, i, {
		operation: 'user.terminateProducts',
		endpoint: '/user/products/terminate',
		body: {
			user_id: userId,
			reason_code: reasonCode,
			...(reasonNote !== undefined ? { reason_note: reasonNote } : {}),
		},
		fields: { user_id: userId },
		check: { endpoint: '/user/items/get', body: { user_id: userId }, goneCodes: ['USER_NOT_FOUND'] },
		describe: () => ({ reason_code: reasonCode }),
	});
}
