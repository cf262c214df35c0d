// @ts-check
'use strict';

// The Asset Report endpoints an offboarding needs (spec 2020-09-14_1.697.4, requests as in 1.740.1):
// read a report or an Audit Copy back, share a copy, and remove either. A removed or unknown Audit Copy
// answers INVALID_AUDIT_COPY_TOKEN (Plaid's invalid-input page); for a report token Plaid does not know,
// Plaid documents no code: the shape `unknownAssetReportAnswer` decides.

const { PlaidFailure, fieldListFailure } = require('./errors');

/** @typedef {import('./routes').RouteHandler} RouteHandler */
/** @typedef {import('./state').EmulatorState} EmulatorState */
/** @typedef {import('./assetReports').AssetReport} AssetReport */

/** @param {EmulatorState} state */
function unknownReportFailure(state) {
	const code = state.shapes.unknownAssetReportAnswer;
	return new PlaidFailure(code, code === 'INVALID_FIELD' ? 'asset_report_token: no Asset Report matches this token' : undefined);
}

/** @param {EmulatorState} state @param {string} token @returns {AssetReport} */
function liveReport(state, token) {
	const report = state.assetReports.reports.get(token);
	if (!report) throw unknownReportFailure(state);
	return report;
}

/** Spec AssetReportGetResponse, with what a preview and a read-back need (accounts left empty). @param {AssetReport} report */
function reportAnswer(report) {
	return {
		report: {
			asset_report_id: report.asset_report_id,
			client_report_id: report.client_report_id,
			date_generated: report.date_generated,
			days_requested: report.days_requested,
			user: { client_user_id: report.client_user_id, first_name: null, middle_name: null, last_name: null, ssn: null, phone_number: null, email: null },
			items: report.items.map((item) => ({ ...item, accounts: [] })),
		},
		warnings: [],
	};
}

/** By asset_report_token, or (hidden in the spec) the newest report of the user behind a user_token. @type {RouteHandler} */
function getAssetReport(body, { state }) {
	if (body.asset_report_token !== undefined) return reportAnswer(liveReport(state, body.asset_report_token));
	if (body.user_token === undefined) throw fieldListFailure('MISSING_FIELDS', ['asset_report_token']);
	const user = state.userByToken(body.user_token);
	if (!user) throw new PlaidFailure('INVALID_USER_TOKEN');
	const report = state.assetReports.latestFor(user.user_id);
	if (!report) throw unknownReportFailure(state);
	return reportAnswer(report);
}

/** Spec: invalidates the asset_report_token and every audit_copy_token of the report; the Items stay. @type {RouteHandler} */
function removeAssetReport(body, { state, removals }) {
	const report = liveReport(state, body.asset_report_token);
	state.assetReports.remove(report.asset_report_token);
	removals.push({ item_ids: [], user_id: report.user_id, asset_report_id: report.asset_report_id });
	return { removed: true };
}

/** Plaid's assets page: a copy of a report that does not exist (never made, or removed) is INVALID_PARENT. @type {RouteHandler} */
function createAuditCopy(body, { state }) {
	const copy = state.assetReports.addCopy(body.asset_report_token, { auditor_id: body.auditor_id ?? null });
	if (!copy) throw new PlaidFailure('INVALID_PARENT');
	return { audit_copy_token: copy.audit_copy_token };
}

/** @type {RouteHandler} */
function getAuditCopy(body, { state }) {
	const report = state.assetReports.reportOfCopy(body.audit_copy_token);
	if (!report) throw new PlaidFailure('INVALID_AUDIT_COPY_TOKEN');
	return reportAnswer(report);
}

/** Spec: only this copy stops working; the report and its other copies stay. @type {RouteHandler} */
function removeAuditCopy(body, { state, removals }) {
	const report = state.assetReports.reportOfCopy(body.audit_copy_token);
	if (!report) throw new PlaidFailure('INVALID_AUDIT_COPY_TOKEN');
	state.assetReports.removeCopy(body.audit_copy_token);
	removals.push({ item_ids: [], user_id: report.user_id, asset_report_id: report.asset_report_id });
	return { removed: true };
}

/** @type {Readonly<Record<string, RouteHandler>>} */
const ASSET_REPORT_ROUTES = Object.freeze({
	'/asset_report/get': getAssetReport,
	'/asset_report/remove': removeAssetReport,
	'/asset_report/audit_copy/create': createAuditCopy,
	'/asset_report/audit_copy/get': getAuditCopy,
	'/asset_report/audit_copy/remove': removeAuditCopy,
});

module.exports = { ASSET_REPORT_ROUTES };
