import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseItemIds } from '../../helpers/parse';
import { plaidApiCall, type PlaidNodeApiError } from '../../transport';
import {
	addNote,
	alreadyRemovedOutput,
	auditOf,
	type CheckResult,
	checkGone,
	type GoneCheck,
	type IrreversibleOptions,
	irreversibleNotice,
	isPlaidRefusal,
	plaidAnswerOf,
	readIrreversibleOptions,
	readStateAfter,
	removedOnEarlierTry,
	removedOutput,
	settle,
} from '../common/irreversible';
import { getUserIdentity, itemIdsOf, itemIdsProperty, publicUserFields, USER_GONE_CODES } from './userIdentity';

const show = { resource: ['user'], operation: ['removeItems'] };

export const description: INodeProperties[] = [
	irreversibleNotice(
		show,
		'Plaid deletes the Items, ends their billing, and the end user must go through Link again to reconnect.',
	),
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
				description: 'Read the user’s Items with /user/items/get, then remove every one of them',
			},
		],
		displayOptions: { show },
	},
	itemIdsProperty(
		{ ...show, itemSelection: ['specific'] },
		'The item_id of each Item to remove, separated by commas, spaces or new lines, or an array of strings from an expression. All of them must belong to the user: Plaid removes all or none.',
	),
];

type Identity = ReturnType<typeof getUserIdentity>;

const OPERATION = 'user.removeItems';

/** The read that shows the user's Items now, or that the user is gone. */
function userItemsCheck(identity: Identity): GoneCheck {
	return { endpoint: '/user/items/get', body: { ...identity }, goneCodes: USER_GONE_CODES };
}

/** The requested IDs split by whether they are attached to the user now. */
function splitByAttachment(requested: string[], current: IDataObject): { attached: string[]; notAttached: string[] } {
	const now = new Set(itemIdsOf(current));
	return { attached: requested.filter((id) => now.has(id)), notAttached: requested.filter((id) => !now.has(id)) };
}

/**
 * Removes the Items in ONE /user/items/remove call. Plaid applies the call all or nothing, so the
 * list is never split: a partial removal would leave a customer half offboarded.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const identity = getUserIdentity.call(this, i);
	const selection = this.getNodeParameter('itemSelection', i, 'specific') as string;
	const options = readIrreversibleOptions.call(this, i);
	const user = publicUserFields(identity);

	let requested: string[];
	if (selection === 'all') {
		const state = await checkGone.call(this, userItemsCheck(identity), i);
		if (state.gone) {
			// No user left, so none of its Items: done, when the option says so; Plaid's answer otherwise.
			if (options.preview) return previewOutput(identity, [], state, options);
			if (options.alreadyRemovedIsSuccess) return alreadyRemovedOutput({ item_ids: [], ...user }, state.refusal, OPERATION);
			throw state.refusal;
		}
		const { answer } = state;
		requested = itemIdsOf(answer.body);
		if (options.preview) return previewOutput(identity, requested, state, options);
		// Nothing to remove: no remove call, and the read is the evidence.
		if (requested.length === 0) {
			return { item_ids: [], ...user, already_removed: true, audit: auditOf(answer.call, answer.body.request_id, OPERATION) };
		}
	} else {
		requested = parseItemIds(this.getNodeParameter('itemIds', i));
		if (options.preview) return previewOutput(identity, requested, await checkGone.call(this, userItemsCheck(identity), i), options);
	}

	const call = await settle(plaidApiCall.call(this, '/user/items/remove', { ...identity, item_ids: requested }, { itemIndex: i }));
	if (call.ok) return removedOutput({ item_ids: requested, ...user }, call.value, OPERATION);
	if (!isPlaidRefusal(call.error)) throw call.error;
	return await settleRefusal.call(this, i, identity, requested, call.error, options);
}

/**
 * Plaid refused the atomic call, so it removed nothing. The user's Items now decide what that
 * means: Items no longer attached (removed earlier, by this call's own unanswered attempt, or never
 * the user's) are reported apart; with the option on, the ones still attached are removed in one
 * more call, never more and never in parts. Otherwise Plaid's error stands, saying which are which.
 */
async function settleRefusal(
	this: IExecuteFunctions,
	i: number,
	identity: Identity,
	requested: string[],
	refusal: PlaidNodeApiError,
	options: IrreversibleOptions,
): Promise<IDataObject> {
	const user = publicUserFields(identity);
	const state = await readStateAfter.call(this, refusal, userItemsCheck(identity), i);
	// None of them attached (or no user left to have them): the work is done. If this call's own
	// unanswered attempt may have done it, the Items are reported as this run's; otherwise as
	// removed earlier, or never the user's, which Plaid cannot tell apart.
	const { attached, notAttached } = state.gone ? { attached: [], notAttached: requested } : splitByAttachment(requested, state.answer.body);
	if (notAttached.length === 0) throw addNote(refusal, 'every requested Item is still attached to the user');
	if (attached.length === 0) {
		const earlier = removedOnEarlierTry.call(this, '/user/items/remove', { ...identity, item_ids: requested }, { item_ids: requested, ...user }, OPERATION);
		if (earlier) return earlier;
	}
	if (attached.length === 0 && refusal.mayHaveActed === true) {
		return alreadyRemovedOutput({ item_ids: requested, ...user }, refusal, OPERATION);
	}
	if (attached.length === 0 && options.alreadyRemovedIsSuccess) {
		return alreadyRemovedOutput({ item_ids: [], not_attached_item_ids: notAttached, ...user }, refusal, OPERATION);
	}
	if (state.gone) {
		throw withAttachment(addNote(refusal, 'the user no longer exists at Plaid, so none of these Items is attached'), [], requested);
	}
	if (!options.alreadyRemovedIsSuccess) {
		throw withAttachment(
			addNote(refusal, `attached to the user: ${attached.join(', ') || 'none'}; not attached: ${notAttached.join(', ')}`),
			attached,
			notAttached,
		);
	}
	const second = await settle(plaidApiCall.call(this, '/user/items/remove', { ...identity, item_ids: attached }, { itemIndex: i }));
	if (second.ok) return removedOutput({ item_ids: attached, not_attached_item_ids: notAttached, ...user }, second.value, OPERATION);
	throw withAttachment(
		addNote(second.error as PlaidNodeApiError, `removing the Items still attached (${attached.join(', ')}) failed; ${notAttached.join(', ')} were not attached`),
		attached,
		notAttached,
	);
}

/** The attachment of the requested Items, on the error and in its continue-on-fail item. */
function withAttachment(error: PlaidNodeApiError, attached: string[], notAttached: string[]): PlaidNodeApiError {
	error.itemFields = { ...error.itemFields, attached_item_ids: attached, not_attached_item_ids: notAttached };
	return error;
}

function previewOutput(identity: Identity, requested: string[], state: CheckResult, options: IrreversibleOptions): IDataObject {
	const user = publicUserFields(identity);
	if (state.gone) {
		return {
			preview: true,
			...user,
			outcome: options.alreadyRemovedIsSuccess ? 'already_removed' : 'would_fail',
			item_ids: [],
			not_attached_item_ids: requested,
			plaid_answer: plaidAnswerOf(state.refusal),
		};
	}
	const { attached, notAttached } = splitByAttachment(requested, state.answer.body);
	const items = (Array.isArray(state.answer.body.items) ? (state.answer.body.items as IDataObject[]) : [])
		.filter((item) => attached.includes(item.item_id as string))
		.map((item) => ({ item_id: item.item_id, institution_id: item.institution_id ?? null, institution_name: item.institution_name ?? null }));
	let outcome: string;
	if (notAttached.length === 0) outcome = attached.length > 0 ? 'would_remove' : 'nothing_to_remove';
	else if (!options.alreadyRemovedIsSuccess) outcome = 'would_fail';
	else outcome = attached.length > 0 ? 'would_remove' : 'already_removed';
	return {
		preview: true,
		...user,
		outcome,
		item_ids: outcome === 'would_fail' ? [] : attached,
		not_attached_item_ids: notAttached,
		items,
		request_id: state.answer.body.request_id,
	};
}
