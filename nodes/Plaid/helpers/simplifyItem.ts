import type { IDataObject } from 'n8n-workflow';

/**
 * An Item (spec `Item`, 12 fields and more with consent) cut down to what a workflow about a
 * bank connection mostly reads, most used first, with the error flattened to its code. n8n's
 * guidelines ask for at most 10 fields; this leaves room for the request_id.
 */
export function simplifyItem(item: IDataObject): IDataObject {
	const error = item.error as IDataObject | null | undefined;
	return {
		item_id: item.item_id,
		institution_name: item.institution_name ?? null,
		institution_id: item.institution_id ?? null,
		products: item.products ?? [],
		billed_products: item.billed_products ?? [],
		error_code: error?.error_code ?? null,
		update_type: item.update_type ?? null,
		consent_expiration_time: item.consent_expiration_time ?? null,
		webhook: item.webhook ?? null,
	};
}
