/**
 * The emulator's Asset Report endpoints over HTTP, as Plaid's spec describes them: a report and its
 * Audit Copies read back; /asset_report/audit_copy/remove revokes one copy; /asset_report/remove
 * revokes the report and every copy; removing Items leaves reports alone; a removed or unknown copy is
 * INVALID_AUDIT_COPY_TOKEN; an unknown report token answers in each shape of `unknownAssetReportAnswer`;
 * requests are checked against the spec's schemas, and the official SDK's requests pass.
 */
import { Configuration, PlaidApi } from 'plaid';
import { seedDemo } from '../index';
import { expectPlaidError, inspectRoute, plaidCall } from '../../harness/emulatorCalls';
import { emulatorPerFile } from '../../harness/fixtures';

const emulator = emulatorPerFile({ inspectRoutes: true }, (emulator) => emulator.setShapes({ unknownAssetReportAnswer: 'INVALID_PARENT' }));

const call = (path: string, body: Record<string, unknown>) => plaidCall(emulator, path, body);

/** The demo seed: usr_demo_alice's report over her three Items, with one Audit Copy. */
function demo() {
	const { alice, assetReport, auditCopy } = seedDemo(emulator);
	return { alice, reportToken: assetReport.asset_report_token, reportId: assetReport.asset_report_id, copyToken: auditCopy.audit_copy_token };
}

describe('reading back', () => {
	it('/asset_report/get answers the report: its id, user and Items, in the spec’s shape', async () => {
		const { alice, reportToken, reportId } = demo();
		const answer = await call('/asset_report/get', { asset_report_token: reportToken, include_insights: false, options: { days_to_include: 30 } });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ report: expect.any(Object), warnings: [], request_id: expect.any(String) });
		expect(answer.body.report).toMatchObject({
			asset_report_id: reportId,
			client_report_id: 'demo-report-1001',
			date_generated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
			days_requested: 90,
			user: { client_user_id: 'demo-customer-1001' },
		});
		expect(answer.body.report.items.map((item: { item_id: string }) => item.item_id)).toEqual([...alice.items.keys()]);
		expect(answer.body.report.items[0]).toEqual({
			item_id: expect.any(String),
			institution_id: 'ins_109508',
			institution_name: 'First Platypus Bank',
			date_last_updated: expect.any(String),
			accounts: [],
		});
		expect(JSON.stringify(answer.body)).not.toContain('assets-sandbox-');
	});

	it('/asset_report/audit_copy/get answers the same report; /asset_report/audit_copy/create makes another copy', async () => {
		const { reportToken, reportId, copyToken } = demo();
		expect((await call('/asset_report/audit_copy/get', { audit_copy_token: copyToken })).body.report.asset_report_id).toBe(reportId);
		const created = await call('/asset_report/audit_copy/create', { asset_report_token: reportToken, auditor_id: 'fannie_mae' });
		expect(created.body).toEqual({ audit_copy_token: expect.stringMatching(/^a-sandbox-[A-Z2-7]{26}$/), request_id: expect.any(String) });
		expect((await call('/asset_report/audit_copy/get', { audit_copy_token: created.body.audit_copy_token })).status).toBe(200);
	});

	it('by user_token (a field Plaid’s docs hide): the newest report of that legacy user', async () => {
		const user = emulator.addUser({ user_token: 'user-sandbox-reports', items: ['item-1'] });
		emulator.addAssetReport({ user_id: user.user_id, item_ids: ['item-1'], client_report_id: 'old' });
		emulator.addAssetReport({ user_id: user.user_id, item_ids: ['item-1'], client_report_id: 'new' });
		expect((await call('/asset_report/get', { user_token: 'user-sandbox-reports' })).body.report.client_report_id).toBe('new');
		expectPlaidError(await call('/asset_report/get', { user_token: 'user-sandbox-nobody' }), 'INVALID_INPUT', 'INVALID_USER_TOKEN');
	});
});

describe('removing', () => {
	it('/asset_report/audit_copy/remove revokes that copy only: the report and its other copies stay', async () => {
		const { reportToken, copyToken } = demo();
		const other = emulator.addAuditCopy(reportToken, { auditor_id: 'freddie_mac' });
		const answer = await call('/asset_report/audit_copy/remove', { audit_copy_token: copyToken });
		expect(answer).toEqual({ status: 200, body: { removed: true, request_id: expect.any(String) } });
		expectPlaidError(await call('/asset_report/audit_copy/get', { audit_copy_token: copyToken }), 'INVALID_INPUT', 'INVALID_AUDIT_COPY_TOKEN');
		expectPlaidError(await call('/asset_report/audit_copy/remove', { audit_copy_token: copyToken }), 'INVALID_INPUT', 'INVALID_AUDIT_COPY_TOKEN');
		expect([emulator.hasAuditCopy(other.audit_copy_token), emulator.hasAssetReport(reportToken)]).toEqual([true, true]);
	});

	it('/asset_report/remove revokes the report and every copy of it; the Items stay', async () => {
		const { alice, reportToken, reportId, copyToken } = demo();
		const other = emulator.addAuditCopy(reportToken);
		const answer = await call('/asset_report/remove', { asset_report_token: reportToken });
		expect(answer).toEqual({ status: 200, body: { removed: true, request_id: expect.any(String) } });
		for (const token of [copyToken, other.audit_copy_token]) {
			expectPlaidError(await call('/asset_report/audit_copy/get', { audit_copy_token: token }), 'INVALID_INPUT', 'INVALID_AUDIT_COPY_TOKEN');
			expectPlaidError(await call('/asset_report/audit_copy/remove', { audit_copy_token: token }), 'INVALID_INPUT', 'INVALID_AUDIT_COPY_TOKEN');
		}
		expectPlaidError(await call('/asset_report/get', { asset_report_token: reportToken }), 'ASSET_REPORT_ERROR', 'INVALID_PARENT');
		expectPlaidError(await call('/asset_report/remove', { asset_report_token: reportToken }), 'ASSET_REPORT_ERROR', 'INVALID_PARENT');
		// Plaid's assets error page: a copy of a report that was deleted is INVALID_PARENT, whatever the shape.
		emulator.setShapes({ unknownAssetReportAnswer: 'ASSET_REPORT_NOT_FOUND' });
		expectPlaidError(await call('/asset_report/audit_copy/create', { asset_report_token: reportToken }), 'ASSET_REPORT_ERROR', 'INVALID_PARENT');
		expect(emulator.itemIdsOf(alice.user_id)).toHaveLength(3);
		expect(emulator.removals.map(({ endpoint, item_ids, user_id, asset_report_id }) => ({ endpoint, item_ids, user_id, asset_report_id }))).toEqual([
			{ endpoint: '/asset_report/remove', item_ids: [], user_id: 'usr_demo_alice', asset_report_id: reportId },
		]);
	});

	it('removing the Items (or their user) leaves the report and its copies readable, as Plaid says', async () => {
		const { alice, reportToken, copyToken } = demo();
		const [first] = alice.items.values();
		await call('/item/remove', { access_token: first.access_token });
		await call('/user/remove', { user_id: alice.user_id });
		expect((await call('/asset_report/get', { asset_report_token: reportToken })).body.report.items).toHaveLength(3);
		expect((await call('/asset_report/audit_copy/get', { audit_copy_token: copyToken })).status).toBe(200);
	});

	it('the removal log names the report an Audit Copy removal was about', async () => {
		const { reportId, copyToken } = demo();
		await call('/asset_report/audit_copy/remove', { audit_copy_token: copyToken });
		expect(emulator.removals).toEqual([
			expect.objectContaining({ endpoint: '/asset_report/audit_copy/remove', item_ids: [], user_id: 'usr_demo_alice', asset_report_id: reportId, delivered: true }),
		]);
	});
});

describe('a report token Plaid does not know (unknownAssetReportAnswer)', () => {
	it.each([
		['INVALID_PARENT', 'ASSET_REPORT_ERROR'],
		['INVALID_ASSET_REPORT_TOKEN', 'INVALID_INPUT'],
		['ASSET_REPORT_NOT_FOUND', 'ASSET_REPORT_ERROR'],
		['INVALID_FIELD', 'INVALID_REQUEST'],
	] as const)('%s (%s) from /asset_report/remove and /asset_report/get; nothing is logged', async (code, type) => {
		emulator.setShapes({ unknownAssetReportAnswer: code });
		demo();
		for (const token of ['assets-sandbox-00000000-0000-4000-8000-000000000000', 'assets-production-typo']) {
			expectPlaidError(await call('/asset_report/remove', { asset_report_token: token }), type, code);
			expectPlaidError(await call('/asset_report/get', { asset_report_token: token }), type, code);
		}
		expect(emulator.removals).toEqual([]);
		expect((await inspectRoute(emulator, 'GET', 'asset-reports')).body.asset_reports).toEqual([expect.objectContaining({ user_id: 'usr_demo_alice', audit_copies: 1 })]);
	});
});

describe('request checks (spec schemas)', () => {
	it.each([
		['/asset_report/remove', {}, 'MISSING_FIELDS', /asset_report_token/],
		['/asset_report/remove', { asset_report_token: 'x', audit_copy_token: 'y' }, 'UNKNOWN_FIELDS', /audit_copy_token/],
		['/asset_report/remove', { asset_report_token: 42 }, 'INVALID_FIELD', /asset_report_token must be a string/],
		['/asset_report/audit_copy/remove', {}, 'MISSING_FIELDS', /audit_copy_token/],
		['/asset_report/audit_copy/remove', { audit_copy_token: 'y', asset_report_token: 'x' }, 'UNKNOWN_FIELDS', /asset_report_token/],
		['/asset_report/audit_copy/get', { audit_copy_token: null }, 'MISSING_FIELDS', /audit_copy_token/],
		['/asset_report/audit_copy/create', { auditor_id: 'fannie_mae' }, 'MISSING_FIELDS', /asset_report_token/],
		['/asset_report/get', {}, 'MISSING_FIELDS', /asset_report_token/],
		['/asset_report/get', { asset_report_token: 'x', options: { days_to_include: 800 } }, 'INVALID_FIELD', /days_to_include must be at most 731/],
		['/asset_report/get', { asset_report_token: 'x', include_insights: 'yes' }, 'INVALID_FIELD', /include_insights must be a boolean/],
	])('%s %j: %s', async (path, body, code, message) => {
		const answer = await call(path, body);
		expectPlaidError(answer, 'INVALID_REQUEST', code);
		expect(answer.body.error_message).toMatch(message);
	});

	it('the official plaid SDK’s requests pass and its types read the answers', async () => {
		const { reportToken, copyToken } = demo();
		const client = new PlaidApi(new Configuration({ basePath: emulator.url, baseOptions: { headers: { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret } } }));
		expect((await client.assetReportGet({ asset_report_token: reportToken })).data.report.items).toHaveLength(3);
		expect((await client.assetReportAuditCopyRemove({ audit_copy_token: copyToken })).data.removed).toBe(true);
		expect((await client.assetReportRemove({ asset_report_token: reportToken })).data.removed).toBe(true);
	});
});
