import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseRequiredString } from '../../helpers/parse';
import { PRODUCTS_TERMINATE_REASONS, productsTerminateReasonProperty, reasonFields, reasonNoteProperty } from '../../helpers/reasons';
import { irreversibleNotice, removeSingleTarget } from '../common/irreversible';
import { userIdProperty } from './userIdentity';

const show = { resource: ['user'], operation: ['terminateProducts'] };

export const description: INodeProperties[] = [
	irreversibleNotice(show, 'Plaid ends the user’s user-based subscriptions and stops billing them.'),
	// Not the shared user identification: this endpoint takes a user_id only, never a user_token.
	userIdProperty(show, 'The Plaid user_id of the user whose subscriptions end'),
	productsTerminateReasonProperty(show, 'Why the subscriptions end, as Plaid records it'),
	reasonNoteProperty(show),
];

/**
 * Ends the user's user-based subscriptions with /user/products/terminate: billing for them
 * stops. Per-Item billing is not touched: removing the Items ends it. A user that is gone has no
 * subscriptions left: "already removed" is settled by /user/items/get answering USER_NOT_FOUND.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const userId = parseRequiredString(this.getNodeParameter('userId', i, ''), 'User ID');
	const reasons = reasonFields(this.getNodeParameter('reasonCode', i, ''), this.getNodeParameter('reasonNote', i, ''), PRODUCTS_TERMINATE_REASONS);

	return await removeSingleTarget.call(this, i, {
		operation: 'user.terminateProducts',
		endpoint: '/user/products/terminate',
		body: { user_id: userId, ...reasons },
		fields: { user_id: userId },
		check: { endpoint: '/user/items/get', body: { user_id: userId }, goneCodes: ['USER_NOT_FOUND'] },
		describe: () => ({ reason_code: reasons.reason_code }),
	});
}
