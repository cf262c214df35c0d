// @ts-check
'use strict';

// Asset Reports and their Audit Copies, as Plaid's spec (2020-09-14_1.697.4; requests unchanged in
// 1.740.1, the plaid 47.0.0 SDK) describes them: a report covers Items at a moment in time and outlives
// them ("Removing an Item does not affect any Asset Reports or Audit Copies you have already created");
// /asset_report/remove invalidates its token and every audit_copy_token made from it;
// /asset_report/audit_copy/remove invalidates one copy and nothing else.

const crypto = require('node:crypto');
const { newAssetReportToken, newAuditCopyToken } = require('./ids');

/** @typedef {import('./ids').Environment} Environment */

/**
 * @typedef {object} AssetReportItem what a report keeps of an Item (spec AssetReportItem, accounts aside)
 * @property {string} item_id
 * @property {string} institution_id
 * @property {string} institution_name
 * @property {string} date_last_updated
 */

/**
 * @typedef {object} AssetReport
 * @property {string} asset_report_token
 * @property {string} asset_report_id
 * @property {string | null} user_id the Plaid user it was made for, if any
 * @property {string | null} client_user_id
 * @property {string | null} client_report_id
 * @property {string} date_generated
 * @property {number} days_requested
 * @property {AssetReportItem[]} items
 */

/**
 * @typedef {object} NewAssetReport
 * @property {string} [asset_report_token] default `assets-<environment>-<uuid>`
 * @property {string} [asset_report_id] default a UUID
 * @property {string | null} [user_id]
 * @property {string | null} [client_user_id]
 * @property {string[]} [item_ids] Items the emulator knows (their institution is copied into the report)
 * @property {string | null} [client_report_id]
 * @property {number} [days_requested] default 90
 */

/**
 * @typedef {object} AuditCopy
 * @property {string} audit_copy_token
 * @property {string} asset_report_token the report it copies
 * @property {string | null} auditor_id
 */

class AssetReportStore {
	/** @param {Environment} environment */
	constructor(environment) {
		this.environment = environment;
		/** @type {Map<string, AssetReport>} by asset_report_token */
		this.reports = new Map();
		/** @type {Map<string, AuditCopy>} by audit_copy_token */
		this.copies = new Map();
	}

	/**
	 * @param {NewAssetReport} spec
	 * @param {(itemId: string) => AssetReportItem | undefined} itemOf what the report keeps of a live Item
	 * @param {string} now ISO 8601
	 * @returns {AssetReport}
	 */
	add(spec, itemOf, now) {
		const token = spec.asset_report_token ?? newAssetReportToken(this.environment);
		if (this.reports.has(token)) throw new Error(`addAssetReport: ${token} already exists`);
		const items = (spec.item_ids ?? []).map((itemId) => {
			const item = itemOf(itemId);
			if (!item) throw new Error(`addAssetReport: no live Item ${itemId}`);
			return item;
		});
		/** @type {AssetReport} */
		const report = {
			asset_report_token: token,
			asset_report_id: spec.asset_report_id ?? crypto.randomUUID(),
			user_id: spec.user_id ?? null,
			client_user_id: spec.client_user_id ?? null,
			client_report_id: spec.client_report_id ?? null,
			date_generated: now,
			days_requested: spec.days_requested ?? 90,
			items,
		};
		this.reports.set(token, report);
		return report;
	}

	/**
	 * A new Audit Copy of a live report. @param {string} reportToken
	 * @param {{ audit_copy_token?: string, auditor_id?: string | null }} [spec] @returns {AuditCopy | undefined}
	 */
	addCopy(reportToken, spec = {}) {
		if (!this.reports.has(reportToken)) return undefined;
		const token = spec.audit_copy_token ?? newAuditCopyToken(this.environment);
		if (this.copies.has(token)) throw new Error(`addAuditCopy: ${token} already exists`);
		const copy = { audit_copy_token: token, asset_report_token: reportToken, auditor_id: spec.auditor_id ?? null };
		this.copies.set(token, copy);
		return copy;
	}

	/** The report a live copy gives access to. @param {string} copyToken */
	reportOfCopy(copyToken) {
		const copy = this.copies.get(copyToken);
		return copy && this.reports.get(copy.asset_report_token);
	}

	/** Removes a report and every copy of it. @param {string} token @returns {AssetReport | undefined} */
	remove(token) {
		const report = this.reports.get(token);
		if (!report) return undefined;
		this.reports.delete(token);
		for (const [copyToken, copy] of this.copies) if (copy.asset_report_token === token) this.copies.delete(copyToken);
		return report;
	}

	/** @param {string} copyToken @returns {AuditCopy | undefined} */
	removeCopy(copyToken) {
		const copy = this.copies.get(copyToken);
		this.copies.delete(copyToken);
		return copy;
	}

	/** The newest live report made for a user (spec AssetReportGetRequest.user_token). @param {string} userId */
	latestFor(userId) {
		return [...this.reports.values()].filter((report) => report.user_id === userId).pop();
	}

	/** For inspection: every live report without its token, with how many live copies it has. */
	describe() {
		return [...this.reports.values()].map(({ asset_report_token: token, ...report }) => ({
			...report,
			audit_copies: [...this.copies.values()].filter((copy) => copy.asset_report_token === token).length,
		}));
	}

	clear() {
		this.reports.clear();
		this.copies.clear();
	}
}

module.exports = { AssetReportStore };
