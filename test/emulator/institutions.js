// @ts-check
'use strict';

// A handful of institutions in the shape of spec `Institution`, named after Plaid's Sandbox test banks,
// and the filtering /institutions/get does (country, products, OAuth, routing numbers, paging).

/**
 * @typedef {object} Institution
 * @property {string} institution_id
 * @property {string} name
 * @property {string[]} products
 * @property {string[]} country_codes
 * @property {string[]} routing_numbers
 * @property {string[]} dtc_numbers
 * @property {boolean} oauth
 * @property {string | null} [url]
 * @property {string | null} [primary_color]
 * @property {string | null} [logo]
 */

/** @typedef {{ count: number, offset: number, country_codes: string[], options?: InstitutionsOptions }} InstitutionsQuery */
/**
 * @typedef {object} InstitutionsOptions
 * @property {string[] | null} [products]
 * @property {string[] | null} [routing_numbers]
 * @property {boolean | null} [oauth]
 * @property {boolean} [include_optional_metadata]
 */

const US_PRODUCTS = ['assets', 'auth', 'balance', 'identity', 'investments', 'liabilities', 'transactions'];

/** @type {Array<Institution & { url: string, primary_color: string }>} */
const INSTITUTIONS = [
	{ institution_id: 'ins_109508', name: 'First Platypus Bank', routing_numbers: ['011000138'], oauth: false, url: 'https://www.platypus.example', primary_color: '#1f5a7a' },
	{ institution_id: 'ins_109509', name: 'First Gingham Credit Union', routing_numbers: ['011200365'], oauth: false, url: 'https://www.gingham.example', primary_color: '#b5312b' },
	{ institution_id: 'ins_109510', name: 'Tartan Bank', routing_numbers: ['011400495'], oauth: false, url: 'https://www.tartan.example', primary_color: '#2a6e3f' },
	{ institution_id: 'ins_109511', name: 'Houndstooth Bank', routing_numbers: ['021000021'], oauth: false, url: 'https://www.houndstooth.example', primary_color: '#333333' },
	{ institution_id: 'ins_109512', name: 'Tattersall Federal Credit Union', routing_numbers: ['021000089'], oauth: false, url: 'https://www.tattersall.example', primary_color: '#7a4b1f' },
	{ institution_id: 'ins_127287', name: 'Platypus OAuth Bank', routing_numbers: ['026009593'], oauth: true, url: 'https://oauth.platypus.example', primary_color: '#0b3d91' },
].map((institution) => ({ ...institution, products: US_PRODUCTS, country_codes: ['US'], dtc_numbers: [] }));

/** @param {Institution} institution @param {InstitutionsOptions} options */
function matchesOptions(institution, options) {
	const wantsProducts = options.products ?? [];
	if (!wantsProducts.every((product) => institution.products.includes(product))) return false;
	if (typeof options.oauth === 'boolean' && institution.oauth !== options.oauth) return false;
	const wantsRouting = options.routing_numbers ?? [];
	return wantsRouting.every((number) => institution.routing_numbers.includes(number));
}

/** @param {Institution & { url: string, primary_color: string }} institution @param {boolean} withMetadata */
function present(institution, withMetadata) {
	const { url, primary_color, ...required } = institution;
	return withMetadata ? { ...required, url, primary_color, logo: null } : required;
}

/** @param {InstitutionsQuery} query */
function queryInstitutions(query) {
	const options = query.options ?? {};
	const matching = INSTITUTIONS.filter(
		(institution) =>
			institution.country_codes.some((code) => query.country_codes.includes(code)) && matchesOptions(institution, options),
	);
	const page = matching.slice(query.offset, query.offset + query.count);
	return {
		institutions: page.map((institution) => present(institution, options.include_optional_metadata === true)),
		total: matching.length,
	};
}

/** @param {string} institutionId */
const institutionName = (institutionId) => INSTITUTIONS.find((i) => i.institution_id === institutionId)?.name ?? null;

module.exports = { INSTITUTIONS, queryInstitutions, institutionName };
