/**
 * Asset Report → Remove and Remove Audit Copy through n8n's engine against the emulator: removing a
 * customer's Items leaves their Asset Reports readable, so an offboarding removes them too. Each is
 * irreversible: Preview Only, the outcomes and audit record of every removal, not_found for a token
 * Plaid does not know (in each of the emulator's shapes for an unknown report), tokens checked against
 * the credential's environment before anything is sent, and never echoed.
 */
import { everythingLeftBy, plaidSuite, type Run } from '../../harness/plaidNode';
import { fixedAccessToken } from '../../harness/tokens';
import { expectStateMatches, outputsOf } from '../../harness/truthfulness';

const V11 = { typeVersion: 1.1 };
const UNKNOWN_REPORT_SHAPES = ['INVALID_PARENT', 'INVALID_ASSET_REPORT_TOKEN', 'ASSET_REPORT_NOT_FOUND'] as const;

describe.each(UNKNOWN_REPORT_SHAPES)('Asset Report → Remove (an unknown report answered %s)', (unknownAssetReportAnswer) => {
	const suite = plaidSuite({ resource: 'assetReport', operation: 'remove' }, { unknownAssetReportAnswer });

	function seed() {
		suite.emulator.addUser({ user_id: 'usr_alice', items: ['item-a'] });
		const report = suite.emulator.addAssetReport({ user_id: 'usr_alice', item_ids: ['item-a'] });
		const copy = suite.emulator.addAuditCopy(report.asset_report_token);
		return { report, copy };
	}

	it('removes the report with one POST /asset_report/remove; its Audit Copy stops working with it; the Items stay', async () => {
		const { report, copy } = seed();

		const run = await suite.run({ assetReportToken: report.asset_report_token }, V11);

		expect(suite.emulator.requests.map((request) => [request.path, request.body])).toEqual([['/asset_report/remove', { asset_report_token: report.asset_report_token }]]);
		expect(outputsOf(run)).toEqual([
			expect.objectContaining({ outcome: 'removed', removed: true, audit: expect.objectContaining({ operation: 'assetReport.remove', endpoint: '/asset_report/remove', accepted: true }) }),
		]);
		expect(suite.emulator.hasAuditCopy(copy.audit_copy_token)).toBe(false);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(['item-a']);
		expectStateMatches(run, suite.emulator);
		expect(everythingLeftBy(run)).not.toContain(report.asset_report_token);
	});

	it('run again: not_found (1.1: on the success output), removed: false, nothing sent but the refused call', async () => {
		const { report } = seed();
		await suite.run({ assetReportToken: report.asset_report_token }, V11);
		suite.emulator.clearRequests();

		const again = await suite.run({ assetReportToken: report.asset_report_token }, V11);
		const strict = await suite.run({ assetReportToken: report.asset_report_token });

		expect(outputsOf(again)).toEqual([
			expect.objectContaining({ outcome: 'not_found', removed: false, plaid_answer: expect.objectContaining({ error_code: unknownAssetReportAnswer }) }),
		]);
		expect(strict.nodeError('Plaid').message).toMatch(new RegExp(`^${unknownAssetReportAnswer}: `));
		expect(suite.emulator.requests.map((request) => request.path)).toEqual(['/asset_report/remove', '/asset_report/remove']);
	});

	it('Preview Only reads the report and removes nothing', async () => {
		const { report } = seed();

		const run = await suite.run({ assetReportToken: report.asset_report_token, options: { preview: true } }, V11);

		expect(outputsOf(run)).toEqual([
			expect.objectContaining({ preview: true, outcome: 'would_remove', removed: false, asset_report_id: report.asset_report_id, item_ids: ['item-a'] }),
		]);
		expect(suite.emulator.requests.map((request) => request.path)).toEqual(['/asset_report/get']);
		expect(suite.emulator.describeAssetReports()).toHaveLength(1);
	});

	it('Verify Removal reads the report back: verified once Plaid no longer knows the token', async () => {
		const { report } = seed();

		const run = await suite.run({ assetReportToken: report.asset_report_token, options: { verifyRemoval: true } }, V11);

		expect(outputsOf(run)).toEqual([expect.objectContaining({ outcome: 'removed', verified: true })]);
	});
});

describe('Asset Report → Remove Audit Copy', () => {
	const suite = plaidSuite({ resource: 'assetReport', operation: 'removeAuditCopy' });

	it('revokes the one copy; the report and its other copy stay', async () => {
		const report = suite.emulator.addAssetReport({});
		const [lender, auditor] = [suite.emulator.addAuditCopy(report.asset_report_token), suite.emulator.addAuditCopy(report.asset_report_token)];

		const run = await suite.run({ auditCopyToken: lender.audit_copy_token }, V11);

		expect(suite.emulator.requests.map((request) => [request.path, request.body])).toEqual([['/asset_report/audit_copy/remove', { audit_copy_token: lender.audit_copy_token }]]);
		expect(outputsOf(run)).toEqual([expect.objectContaining({ outcome: 'removed', removed: true, audit: expect.objectContaining({ operation: 'assetReport.removeAuditCopy' }) })]);
		expect([suite.emulator.hasAuditCopy(lender.audit_copy_token), suite.emulator.hasAuditCopy(auditor.audit_copy_token)]).toEqual([false, true]);
		expect(suite.emulator.describeAssetReports()).toHaveLength(1);
		expect(everythingLeftBy(run)).not.toContain(lender.audit_copy_token);
	});

	it('a copy whose report was removed is not_found (INVALID_AUDIT_COPY_TOKEN)', async () => {
		const report = suite.emulator.addAssetReport({});
		const copy = suite.emulator.addAuditCopy(report.asset_report_token);
		await suite.run({ resource: 'assetReport', operation: 'remove', assetReportToken: report.asset_report_token }, V11);

		const run = await suite.run({ auditCopyToken: copy.audit_copy_token }, V11);

		expect(outputsOf(run)).toEqual([expect.objectContaining({ outcome: 'not_found', removed: false, plaid_answer: expect.objectContaining({ error_code: 'INVALID_AUDIT_COPY_TOKEN' }) })]);
	});

	it('the same copy twice in one run: revoked once, then a duplicate', async () => {
		const report = suite.emulator.addAssetReport({});
		const copy = suite.emulator.addAuditCopy(report.asset_report_token);

		const run = await suite.run({ auditCopyToken: '={{ $json.token }}' }, { ...V11, startItems: [{ token: copy.audit_copy_token }, { token: copy.audit_copy_token }] });

		expect(outputsOf(run).map((output) => [output.outcome, output.duplicate_of])).toEqual([
			['removed', undefined],
			['duplicate', 0],
		]);
		expect(suite.emulator.requestsTo('/asset_report/audit_copy/remove')).toHaveLength(1);
	});
});

describe('tokens of the other environment, or of another shape, are refused before anything is sent', () => {
	const suite = plaidSuite({ resource: 'assetReport' });
	const expectRefused = (run: Run, message: RegExp) => {
		expect(run.nodeError('Plaid').name).toBe('NodeOperationError');
		expect(run.nodeError('Plaid').message).toMatch(message);
		expect(suite.emulator.requests).toHaveLength(0);
	};

	// Built, not written out: the community-node lint takes token-shaped literals for secrets.
	const tail = fixedAccessToken('environment').slice('access-sandbox-'.length);
	it.each([
		['a Sandbox report token with Production keys', 'production', { operation: 'remove', assetReportToken: `assets-sandbox-${tail}` }, /^Asset Report Token: a Sandbox Asset Report token/],
		['a Production copy token with Sandbox keys', 'sandbox', { operation: 'removeAuditCopy', auditCopyToken: `a-production-${tail}` }, /^Audit Copy Token: a Production Audit Copy token/],
		['an access token given as a report token', 'custom', { operation: 'remove', assetReportToken: `access-sandbox-${tail}` }, /^Asset Report Token: not a Plaid Asset Report token/],
	])('%s', async (_label, environment, parameters, message) => {
		const credentials = environment === 'custom' ? {} : { environment };

		expectRefused(await suite.run(parameters, { ...V11, credentials }), message);
	});
});
