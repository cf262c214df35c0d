/**
 * Every operation of the Plaid node (the `operations` map of nodes/Plaid/actions/router.ts), with
 * parameters that pass its input checks, so that its first request is sent: for the tests that
 * hold every operation to the same rule, whatever answers.
 */
import { unknownAccessToken } from './tokens';

export interface OperationCase {
	resource: string;
	operation: string;
	parameters: Record<string, unknown>;
}

const accessToken = () => unknownAccessToken('every-operation');

export function everyOperation(): OperationCase[] {
	return [
		{ resource: 'user', operation: 'removeItems', parameters: { userId: 'usr_every', itemIds: 'item-a, item-b' } },
		{ resource: 'user', operation: 'getItems', parameters: { userId: 'usr_every' } },
		{ resource: 'user', operation: 'remove', parameters: { userId: 'usr_every' } },
		{ resource: 'user', operation: 'create', parameters: { clientUserId: 'client-user-every' } },
		{ resource: 'user', operation: 'terminateProducts', parameters: { userId: 'usr_every' } },
		{ resource: 'user', operation: 'associateItems', parameters: { userId: 'usr_every', itemIds: 'item-a' } },
		{ resource: 'user', operation: 'get', parameters: { userId: 'usr_every' } },
		{ resource: 'item', operation: 'get', parameters: { accessToken: accessToken() } },
		{ resource: 'item', operation: 'remove', parameters: { accessToken: accessToken() } },
		{ resource: 'item', operation: 'terminate', parameters: { accessToken: accessToken() } },
		{ resource: 'item', operation: 'updateWebhook', parameters: { accessToken: accessToken(), webhookUrl: 'https://hooks.example.com/plaid' } },
		{ resource: 'sandbox', operation: 'createTestItem', parameters: {} },
		{ resource: 'sandbox', operation: 'fireWebhook', parameters: { accessToken: accessToken() } },
	];
}

/** `resource / operation`, for test names. */
export const operationName = ({ resource, operation }: OperationCase) => `${resource} / ${operation}`;
