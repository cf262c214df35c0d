import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PRODUCTS_TERMINATE_REASONS, productsTerminateReasonProperty, reasonFields, reasonNoteProperty } from '../../helpers/reasons';
import { readIrreversibleOptions } from '../../removal/options';
import { removeSingleTarget } from '../../removal/singleTarget';
import { hashOf } from '../../removal/workKeys';
import { credentialEnvironmentOf, type PlaidEndpoint } from '../../transport';
import { irreversibleNotice } from '../common/irreversibleNotice';
import { parseUserId, publicUserFields, userIdProperty } from './userIdentity';
import type { Irreversible, OperationOption } from '../operation';

export const option: OperationOption = {
	name: 'Terminate Products',
	value: 'terminateProducts',
	action: 'Terminate products of a user',
	description:
		'End the user’s user-based subscriptions (Financial Management, Plaid Protect, CRA Cash Flow Updates) so they are no longer billed. Cannot be undone; Items are not removed.',
};

export const endpoints: PlaidEndpoint[] = ['/user/products/terminate', '/user/items/get'];

export const irreversible: Irreversible = { verifiable: false };

export const description: INodeProperties[] = [
	irreversibleNotice('Plaid ends the user’s user-based subscriptions and stops billing them.'),
	// Not the shared user identification: this endpoint takes a user_id only, never a user_token.
	userIdProperty('The Plaid user_id of the user whose subscriptions end'),
	productsTerminateReasonProperty('Why the subscriptions end, as Plaid records it'),
	reasonNoteProperty(),
];

/**
 * Ends the user's user-based subscriptions with /user/products/terminate: billing for them stops.
 * Per-Item billing is not touched: removing the Items ends it. Plaid offers no read of what was
 * terminated, so there is nothing to verify; a user Plaid does not know is `not_found`, never
 * "already terminated".
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const userId = parseUserId(this.getNodeParameter('userId', i, ''), credentialEnvironmentOf(this));
	const reasons = reasonFields(this.getNodeParameter('reasonCode', i, ''), this.getNodeParameter('reasonNote', i, ''), PRODUCTS_TERMINATE_REASONS);
	const options = readIrreversibleOptions.call(this, i);
	const identity = { user_id: userId };
	return await removeSingleTarget.call(
		this,
		i,
		{
			endpoint: '/user/products/terminate',
			workKey: hashOf('/user/products/terminate', identity),
			targetKey: hashOf('/user/products/terminate', identity),
			fields: publicUserFields(identity),
			body: { ...identity, ...reasons },
			notFoundCodes: ['USER_NOT_FOUND'],
			targetName: 'user',
			previewRead: { endpoint: '/user/items/get', body: identity, describe: () => ({ reason_code: reasons.reason_code }) },
		},
		options,
	);
}
