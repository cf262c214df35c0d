import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseItemIds } from '../../helpers/parse';
import { hashOf } from '../../removal/workKeys';
import { runIrreversible } from '../../removal/irreversible';
import { type IrreversibleOptions, readIrreversibleOptions } from '../../removal/options';
import { refusalAnswer, type Settled } from '../../removal/outcome';
import { itemIdsOf, removeUserItems, type UserItemsRemoval } from '../../removal/userItems';
import { attempt, isPlaidRefusal, type PlaidAnswer, plaidApiCall, type PlaidEndpoint, type PlaidApiError } from '../../transport';
import { irreversibleNotice } from '../common/irreversibleNotice';
import { getUserIdentity, itemIdsProperty, publicUserFields, USER_GONE_CODES, userIdentityProperties } from './userIdentity';
import type { Irreversible, OperationOption } from '../operation';

export const option: OperationOption = {
	name: 'Remove Items',
	value: 'removeItems',
	action: 'Remove items from a user',
	description:
		'Disconnect some or all of a user’s Items (bank connections) in one all-or-nothing call. Ends their billing; cannot be undone.',
};

export const endpoints: PlaidEndpoint[] = ['/user/items/remove', '/user/items/get'];

export const irreversible: Irreversible = { verifiable: true };

export const description: INodeProperties[] = [
	irreversibleNotice('Plaid deletes the Items, ends their billing, and the end user must go through Link again to reconnect.'),
	...userIdentityProperties(),
	{
		displayName: 'Items to Remove',
		name: 'itemSelection',
		type: 'options',
		noDataExpression: true,
		default: 'specific',
		options: [
			{
				name: 'Specific Items',
				value: 'specific',
				description: 'Remove the Items whose IDs are given below',
			},
			{
				name: 'All Items of the User',
				value: 'all',
				description:
					'Read the user’s Items with /user/items/get, then remove every one of them. Only Items linked to this user are listed: an Item linked without a user is out of reach here (remove it by its access token with Item → Remove).',
			},
		],
	},
	itemIdsProperty(
		'The item_id of each Item to remove, separated by commas, spaces or new lines, or an array of strings from an expression. All of them must belong to the user: Plaid removes all or none.',
		{ itemSelection: ['specific'] },
	),
];

/**
 * Removes the Items in ONE /user/items/remove call. Plaid applies the call all or nothing, so the
 * list is never split: a partial removal would leave a customer half offboarded.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const identity = getUserIdentity.call(this, i);
	const selection = this.getNodeParameter('itemSelection', i, 'specific') as string;
	const options = readIrreversibleOptions.call(this, i);
	const specific = selection === 'all' ? undefined : parseItemIds(this.getNodeParameter('itemIds', i));
	const removal: UserItemsRemoval = {
		endpoint: '/user/items/remove',
		workKey: hashOf('/user/items/remove', identity, specific ? [...specific].sort() : 'all'),
		targetKey: hashOf('/user/items/remove', identity),
		fields: publicUserFields(identity),
		identity,
		userGoneCodes: USER_GONE_CODES,
	};

	return await runIrreversible.call(this, i, removal, options, async () => {
		if (specific && !options.preview) return await removeUserItems.call(this, i, removal, specific, options);
		// "All Items of the User", and every preview: what the user has now, as Plaid lists it.
		const read = await attempt(plaidApiCall.call(this, '/user/items/get', { ...identity }, { itemIndex: i }));
		if (!read.ok) {
			const { error } = read;
			if (!isPlaidRefusal(error) || !USER_GONE_CODES.includes(error.plaid?.error_code ?? '')) throw error;
			return userNotFound(removal, specific ?? [], error, options.preview);
		}
		const listed = itemIdsOf(read.value.body);
		if (options.preview) return previewOf(removal, specific ?? listed, read.value, options);
		if (listed.length === 0) {
			// Nothing to remove: no removal call; the read is the evidence.
			return { outcome: 'nothing_to_remove', fields: { item_ids: [], ...removal.fields }, answer: readAnswer(read.value) };
		}
		return await removeUserItems.call(this, i, removal, listed, options);
	});
}

const readAnswer = (read: PlaidAnswer) => ({ requestId: String(read.body.request_id), call: read.call, accepted: false });

function userNotFound(removal: UserItemsRemoval, requested: string[], refusal: PlaidApiError, preview: boolean): Settled {
	return {
		outcome: preview ? 'would_be_not_found' : 'not_found',
		fields: { ...(preview ? { preview: true } : {}), item_ids: [], not_attached_item_ids: requested, ...removal.fields },
		answer: refusalAnswer(refusal),
		refusal,
		note: 'Plaid does not know this user under these keys: removed earlier, never created, of another environment, mistyped, or a legacy user named by its user_id; its answer does not say which.',
	};
}

/** What a real run would find, from the user's Items as Plaid lists them now (which may lag a removal). */
function previewOf(removal: UserItemsRemoval, requested: string[], read: PlaidAnswer, options: IrreversibleOptions): Settled {
	const listedItems = Array.isArray(read.body.items) ? (read.body.items as IDataObject[]) : [];
	const listed = new Set(itemIdsOf(read.body));
	const attached = requested.filter((id) => listed.has(id));
	const notAttached = requested.filter((id) => !listed.has(id));
	let outcome: Settled['outcome'];
	if (requested.length === 0) outcome = 'nothing_to_remove';
	else if (notAttached.length === 0) outcome = 'would_remove';
	else if (attached.length > 0 && options.unprovenIsSuccess) outcome = 'would_be_partial';
	else outcome = 'would_be_not_attached';
	const items = listedItems
		.filter((item) => attached.includes(item.item_id as string))
		.map((item) => ({ item_id: item.item_id, institution_id: item.institution_id ?? null, institution_name: item.institution_name ?? null }));
	return {
		outcome,
		fields: { preview: true, ...removal.fields, item_ids: outcome === 'would_be_not_attached' ? [] : attached, not_attached_item_ids: notAttached, items },
		answer: readAnswer(read),
	};
}
