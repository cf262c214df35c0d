import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { attempt, isPlaidRefusal, PlaidApiError, plaidApiCall, type PlaidAnswer } from '../transport';
import { accepted, acceptedOnEarlierTries, earlierAnswer, type IrreversibleWork } from './irreversible';
import type { IrreversibleOptions } from './options';
import { type DecidingAnswer, idList, refusalAnswer, type Settled } from './outcome';
import type { Verification } from './verify';
import { verifyRemoval } from './verify';

/** The user of a Remove Items call, as Plaid's request fields: user_id or user_token. */
export type UserIdentity = { user_id: string } | { user_token: string };

export interface UserItemsRemoval extends IrreversibleWork {
	identity: UserIdentity;
	/** Plaid's answers for a user it does not know under these keys. */
	userGoneCodes: readonly string[];
}

type Outcome = Settled & { verification?: Verification };

/** The item_ids in a /user/items/get answer. */
export function itemIdsOf(response: IDataObject): string[] {
	const items = Array.isArray(response.items) ? (response.items as IDataObject[]) : [];
	return items.map((item) => item.item_id).filter((id): id is string => typeof id === 'string');
}

const LOST_ANSWER =
	'an attempt of the removal got no answer (or a server error that does not say Plaid did nothing) after it was sent';

/**
 * Removes `requested` in ONE /user/items/remove call and says what Plaid's answers prove. Plaid applies
 * the call all or nothing, so the list is never split; after a refusal the user's Items are read to
 * say which requested IDs are attached, and with "Not Found Is Success" the attached ones are sent
 * once more, in one call. A read lists only Items linked to the user, and may lag behind a removal:
 * it never turns into a removal, only an accepted call does.
 */
export async function removeUserItems(
	this: IExecuteFunctions,
	i: number,
	removal: UserItemsRemoval,
	requested: string[],
	options: IrreversibleOptions,
): Promise<Outcome> {
	const call = await attempt(plaidApiCall.call(this, '/user/items/remove', { ...removal.identity, item_ids: requested }, { itemIndex: i, irreversible: true }));
	if (call.ok) return await removedNow.call(this, i, removal, requested, [], call.value, options);
	const { error } = call;
	if (!isPlaidRefusal(error)) throw error;
	if (removal.userGoneCodes.includes(error.plaid?.error_code ?? '')) return userGone.call(this, removal, requested, error);
	return await settleRefusal.call(this, i, removal, requested, error, options);
}

/** Plaid accepted a removal now: `itemIds` are removed, with its request_id; Verify Removal reads back. */
async function removedNow(
	this: IExecuteFunctions,
	i: number,
	removal: UserItemsRemoval,
	itemIds: string[],
	notAttached: string[],
	answer: PlaidAnswer,
	options: IrreversibleOptions,
	earlier: EarlierPart = NO_EARLIER,
): Promise<Outcome> {
	const decided = accepted.call(this, removal, answer, itemIds);
	const verification = options.verify ? await verifyRemoval.call(this, i, verifyRead(removal, itemIds), options.verifyWithinMs) : undefined;
	return {
		outcome: notAttached.length > 0 ? 'partial' : 'removed',
		fields: { item_ids: [...earlier.itemIds, ...itemIds], not_attached_item_ids: notAttached, ...removal.fields, ...earlier.fields },
		answer: decided,
		verification,
	};
}

function verifyRead(removal: UserItemsRemoval, itemIds: string[]) {
	return {
		endpoint: '/user/items/get' as const,
		body: { ...removal.identity },
		goneCodes: removal.userGoneCodes,
		answerShowsGone: (answer: IDataObject) => {
			const listed = new Set(itemIdsOf(answer));
			return itemIds.every((id) => !listed.has(id));
		},
	};
}

/** Plaid does not know the user: nothing of it can have been removed by this call. */
function userGone(this: IExecuteFunctions, removal: UserItemsRemoval, requested: string[], refusal: PlaidApiError): Outcome {
	const earlier = earlierPart.call(this, removal, requested);
	if (earlier.itemIds.length === requested.length) return earlierOnly(removal, earlier);
	const rest = requested.filter((id) => !earlier.itemIds.includes(id));
	const removedEarlier = earlier.itemIds.length > 0 ? { removed_on_earlier_try_item_ids: earlier.itemIds } : {};
	const fields = { item_ids: [], ...removedEarlier, ...removal.fields, ...earlier.fields };
	if (refusal.mayHaveActed) {
		return {
			outcome: 'uncertain',
			fields: { ...fields, not_attached_item_ids: [], uncertain_item_ids: rest },
			answer: refusalAnswer(refusal),
			refusal,
			note: `${LOST_ANSWER}; Plaid now answers that it does not know the user`,
		};
	}
	return {
		outcome: 'not_found',
		fields: { ...fields, not_attached_item_ids: rest },
		answer: refusalAnswer(refusal),
		refusal,
		note: 'Plaid does not know this user under these keys: removed earlier, never created, of another environment, mistyped, or a legacy user named by its user_id; its answer does not say which. Nothing was removed.',
	};
}

/** What earlier tries of this node, in this execution, had Plaid accept of the requested Items. */
interface EarlierPart {
	itemIds: string[];
	fields: IDataObject;
	answer?: DecidingAnswer;
}

const NO_EARLIER: EarlierPart = { itemIds: [], fields: {} };

function earlierPart(this: IExecuteFunctions, removal: UserItemsRemoval, requested: string[]): EarlierPart {
	const acceptances = acceptedOnEarlierTries.call(this, removal).filter((acceptance) => acceptance.itemIds?.some((id) => requested.includes(id)));
	if (acceptances.length === 0) return NO_EARLIER;
	const removedEarlier = new Set(acceptances.flatMap((acceptance) => acceptance.itemIds ?? []));
	return {
		itemIds: requested.filter((id) => removedEarlier.has(id)),
		fields: { removed_on_earlier_try: true, earlier_request_ids: acceptances.map((acceptance) => acceptance.requestId) },
		answer: earlierAnswer(acceptances[acceptances.length - 1]),
	};
}

function earlierOnly(removal: UserItemsRemoval, earlier: EarlierPart): Outcome {
	return { outcome: 'removed', fields: { item_ids: earlier.itemIds, not_attached_item_ids: [], ...removal.fields, ...earlier.fields }, answer: earlier.answer };
}

/**
 * Plaid refused the atomic call, so this answer removed nothing. The user's Items, read now, say
 * which requested IDs are listed as attached (`listed`) and which are not (`unlisted`); Items an
 * earlier try of this node removed are reported with that try's request_id.
 */
async function settleRefusal(
	this: IExecuteFunctions,
	i: number,
	removal: UserItemsRemoval,
	requested: string[],
	refusal: PlaidApiError,
	options: IrreversibleOptions,
): Promise<Outcome> {
	const earlier = earlierPart.call(this, removal, requested);
	const rest = requested.filter((id) => !earlier.itemIds.includes(id));
	if (rest.length === 0) return earlierOnly(removal, earlier);

	const read = await attempt(plaidApiCall.call(this, '/user/items/get', { ...removal.identity }, { itemIndex: i }));
	if (!read.ok) {
		if (isPlaidRefusal(read.error) && removal.userGoneCodes.includes(read.error.plaid?.error_code ?? '')) {
			return userGone.call(this, removal, requested, refusal.mayHaveActed ? refusal : read.error);
		}
		throw refusal.addNote('reading the user’s Items afterwards failed, so which of them are attached is unknown');
	}
	const now = new Set(itemIdsOf(read.value.body));
	const listed = rest.filter((id) => now.has(id));
	const unlisted = rest.filter((id) => !now.has(id));
	const base = { ...removal.fields, ...earlier.fields };

	if (refusal.mayHaveActed) {
		// All or nothing: had the lost attempt acted, every requested Item would be gone, though a
		// lagging read may still list some. Only a new accepted call settles it.
		if (options.unprovenIsSuccess && listed.length > 0) {
			return await sendAttached.call(this, i, removal, { listed, unlisted, rest, afterLostAnswer: true }, earlier, options);
		}
		return uncertain(base, earlier, rest, [], refusal, `${LOST_ANSWER}; Plaid then refused the call, and ${listLine(listed, unlisted)}`);
	}
	if (unlisted.length === 0 && earlier.itemIds.length === 0) {
		throw refusal.addNote(`every requested Item is listed as attached to the user (${idList(listed)}): Plaid refused the call for another reason`);
	}
	if (listed.length > 0 && options.unprovenIsSuccess) {
		return await sendAttached.call(this, i, removal, { listed, unlisted, rest, afterLostAnswer: false }, earlier, options);
	}
	// Items an earlier try removed are this execution's removals: then it is partial, not nothing.
	const outcome = earlier.itemIds.length > 0 ? 'partial' : 'not_attached';
	return {
		outcome,
		fields: { item_ids: earlier.itemIds, not_attached_item_ids: unlisted, attached_item_ids: listed, ...base },
		answer: outcome === 'partial' ? earlier.answer : refusalAnswer(refusal),
		refusal,
		note: `Plaid refused the call, so it removed nothing: ${listLine(listed, unlisted)}${listed.length > 0 ? '; the attached ones were not sent again ("Not Found Is Success" is off)' : ''}`,
	};
}

/** The requested Items a read split, after a refusal; `rest` = all but those removed on an earlier try. */
interface Split {
	listed: string[];
	unlisted: string[];
	rest: string[];
	/** The refused call had an attempt whose answer was lost: it may have removed all of `rest`. */
	afterLostAnswer: boolean;
}

/** The Items still listed, removed in one more call: proven only if Plaid accepts it. */
async function sendAttached(
	this: IExecuteFunctions,
	i: number,
	removal: UserItemsRemoval,
	{ listed, unlisted, rest, afterLostAnswer }: Split,
	earlier: EarlierPart,
	options: IrreversibleOptions,
): Promise<Outcome> {
	const second = await attempt(plaidApiCall.call(this, '/user/items/remove', { ...removal.identity, item_ids: listed }, { itemIndex: i, irreversible: true }));
	// Accepted: the listed Items were attached until now, so the lost attempt (all or nothing) did not act either.
	if (second.ok) return await removedNow.call(this, i, removal, listed, unlisted, second.value, options, earlier);
	const { error } = second;
	const base = { ...removal.fields, ...earlier.fields };
	if (!isPlaidRefusal(error)) {
		const note = `removing the Items listed as attached (${idList(listed)}) in one more call failed; not attached: ${idList(unlisted)}`;
		throw error instanceof PlaidApiError ? error.addNote(note) : error;
	}
	if (afterLostAnswer) {
		return uncertain(base, earlier, rest, [], error, `${LOST_ANSWER}; Plaid then refused the Items listed as attached (${idList(listed)}) too`);
	}
	if (error.mayHaveActed) {
		return uncertain(base, earlier, listed, unlisted, error, `the call for the Items listed as attached (${idList(listed)}): ${LOST_ANSWER}, then Plaid refused it`);
	}
	return {
		outcome: 'not_attached',
		fields: { item_ids: earlier.itemIds, not_attached_item_ids: unlisted, attached_item_ids: listed, ...base },
		answer: refusalAnswer(error),
		refusal: error,
		note: `Plaid refused the call for the Items listed as attached too (${idList(listed)}), so nothing was removed; not attached: ${idList(unlisted)}`,
	};
}

function uncertain(base: IDataObject, earlier: EarlierPart, uncertainIds: string[], notAttached: string[], refusal: PlaidApiError, note: string): Outcome {
	const removedEarlier = earlier.itemIds.length > 0 ? { removed_on_earlier_try_item_ids: earlier.itemIds } : {};
	return {
		outcome: 'uncertain',
		fields: { item_ids: [], not_attached_item_ids: notAttached, uncertain_item_ids: uncertainIds, ...removedEarlier, ...base },
		answer: refusalAnswer(refusal),
		refusal,
		note,
	};
}

function listLine(listed: string[], unlisted: string[]): string {
	return `listed as attached to the user: ${idList(listed)}; not attached: ${idList(unlisted)}`;
}
