/**
 * Options → Output → Evidence Row, through n8n's engine against the emulator: for every outcome of
 * every irreversible operation, one flat row per input item with the contract's columns, primitive
 * values only (what an n8n Data Table or a spreadsheet takes), the outcome as the full output says
 * it, and no token anywhere. A failed item (node version 1) carries the same row.
 */
import { plaidSuite, type Run } from '../../harness/plaidNode';
import { fixedAccessToken } from '../../harness/tokens';

const COLUMNS = [
	'answered_at',
	'environment',
	'execution_id',
	'item_id',
	'item_ids',
	'node_name',
	'not_attached_item_ids',
	'operation',
	'outcome',
	'preview',
	'removed',
	'request_id',
	'user_id',
	'verified',
	'workflow_id',
].sort();
const ROW = { output: 'evidenceRow' };
const V11 = { typeVersion: 1.1 };

const suite = plaidSuite({});
const token = fixedAccessToken('evidence-row');
const userToken = `user-sandbox-${token.slice('access-sandbox-'.length)}`;

/** The rows of a run, success and error outputs alike, each checked for columns, types and tokens. */
function rowsOf(run: Run): Array<Record<string, unknown>> {
	const rows = [...run.output('Plaid', 0), ...run.output('Plaid', 1)].map((item) => item.json as Record<string, unknown>);
	for (const row of rows) {
		const fields = row.error === undefined ? row : Object.fromEntries(Object.entries(row).filter(([key]) => COLUMNS.includes(key)));
		expect(Object.keys(fields).sort()).toEqual(COLUMNS);
		for (const value of Object.values(fields)) expect(value === null || ['string', 'boolean', 'number'].includes(typeof value)).toBe(true);
		expect(JSON.stringify(row)).not.toMatch(/access-sandbox-|user-sandbox-|assets-sandbox-|a-sandbox-/);
	}
	return rows;
}

beforeEach(() => {
	suite.emulator.addUser({ user_id: 'usr_alice', items: ['alice-1', 'alice-2', { item_id: 'alice-3', access_token: token }] });
	suite.emulator.addUser({ user_id: 'usr_bob', items: ['bob-1'] });
});

it('removed (Remove Items): the IDs comma-joined, the request_id Plaid answered, n8n’s execution, workflow and node', async () => {
	const run = await suite.run({ resource: 'user', operation: 'removeItems', userId: 'usr_alice', itemIds: 'alice-1, alice-2', options: ROW }, V11);

	const [row] = rowsOf(run);
	expect(row).toEqual({
		user_id: 'usr_alice',
		item_id: null,
		operation: 'user.removeItems',
		outcome: 'removed',
		removed: true,
		item_ids: 'alice-1,alice-2',
		not_attached_item_ids: '',
		request_id: suite.emulator.requestsTo('/user/items/remove')[0].response.body.request_id,
		answered_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
		environment: 'custom',
		verified: null,
		preview: false,
		execution_id: expect.any(String),
		workflow_id: expect.any(String),
		node_name: 'Plaid',
	});
});

it('partial and verified: what was removed and what was not attached, verified: true', async () => {
	const run = await suite.run({ resource: 'user', operation: 'removeItems', userId: 'usr_alice', itemIds: 'alice-1, bob-1', options: { ...ROW, verifyRemoval: true } }, V11);

	expect(rowsOf(run)[0]).toMatchObject({ outcome: 'partial', removed: true, item_ids: 'alice-1', not_attached_item_ids: 'bob-1', verified: true });
});

it('not_attached, in node version 1: the failed item carries the same row beside the error', async () => {
	const run = await suite.run({ resource: 'user', operation: 'removeItems', userId: 'usr_alice', itemIds: 'bob-1', options: ROW }, { onError: 'continueRegularOutput' });

	expect(rowsOf(run)[0]).toMatchObject({ error: expect.stringMatching(/^ITEM_NOT_FOUND: /), outcome: 'not_attached', removed: false, item_ids: '', not_attached_item_ids: 'bob-1' });
});

it('not_found and nothing_to_remove (All Items): removed false, the read’s or the refusal’s request_id', async () => {
	suite.emulator.addUser({ user_id: 'usr_empty' });
	const run = await suite.run(
		{ resource: 'user', operation: 'removeItems', userId: '={{ $json.user }}', itemSelection: 'all', options: ROW },
		{ ...V11, startItems: [{ user: 'usr_nobody' }, { user: 'usr_empty' }] },
	);

	expect(rowsOf(run).map((row) => [row.user_id, row.outcome, row.removed, typeof row.request_id])).toEqual([
		['usr_nobody', 'not_found', false, 'string'],
		['usr_empty', 'nothing_to_remove', false, 'string'],
	]);
});

it('duplicate and uncertain: no request_id of its own; an answer lost', async () => {
	suite.emulator.injectFaults({ path: '/user/remove', drop: 'after', bodyMatch: { user_id: 'usr_bob' } });
	const run = await suite.run(
		{ resource: 'user', operation: 'remove', userId: '={{ $json.user }}', options: { ...ROW, retryDelay: 1, concurrency: 1 } },
		{ ...V11, startItems: [{ user: 'usr_alice' }, { user: 'usr_alice' }, { user: 'usr_bob' }] },
	);

	expect(rowsOf(run).map((row) => [row.outcome, row.removed, row.request_id === null])).toEqual([
		['removed', true, false],
		['duplicate', false, true],
		['uncertain', false, false],
	]);
});

it('a preview row says preview: true and never removed: true', async () => {
	const run = await suite.run({ resource: 'item', operation: 'terminate', accessToken: token, reasonCode: 'USER_OFFBOARDING', options: { ...ROW, preview: true } }, V11);

	expect(rowsOf(run)[0]).toMatchObject({ preview: true, removed: false, outcome: 'would_remove', item_id: 'alice-3', operation: 'item.terminate' });
	expect(suite.emulator.itemIdsOf('usr_alice')).toContain('alice-3');
});

it.each([
	['Item → Remove', { resource: 'item', operation: 'remove', accessToken: token }, 'item.remove'],
	['Item → Terminate', { resource: 'item', operation: 'terminate', accessToken: token, reasonCode: 'USER_OFFBOARDING' }, 'item.terminate'],
	['User → Terminate Products', { resource: 'user', operation: 'terminateProducts', userId: 'usr_alice', reasonCode: 'USER_OFFBOARDING' }, 'user.terminateProducts'],
	['User → Remove by a user token given as User ID', { resource: 'user', operation: 'remove', userId: userToken }, 'user.remove'],
])('%s: a row, and no token in it', async (_label, parameters, operation) => {
	suite.emulator.addUser({ user_id: 'legacy0000000000000000000001', user_token: userToken, migrated: true });

	const run = await suite.run({ ...parameters, options: ROW }, V11);

	const [row] = rowsOf(run);
	expect(row).toMatchObject({ operation, outcome: 'removed', removed: true, item_id: null });
	// A user named by a token has no user_id to show: the token is never one.
	if (String((parameters as { userId?: string }).userId ?? '').startsWith('user-')) expect(row.user_id).toBeNull();
});

it('Output must be one of its values, checked before anything is sent', async () => {
	const run = await suite.run({ resource: 'user', operation: 'remove', userId: 'usr_alice', options: { output: '={{ "csv" }}' } }, V11);

	expect(run.nodeError('Plaid').message).toMatch(/^Output: "csv" is not one of Plaid's values/);
	expect(suite.emulator.requests).toHaveLength(0);
});

it.each(['remove', 'removeAuditCopy'])('Asset Report → %s: a row with neither user_id nor item_id, and no token', async (operation) => {
	const report = suite.emulator.addAssetReport({ user_id: 'usr_alice' });
	const copy = suite.emulator.addAuditCopy(report.asset_report_token);
	const parameters = operation === 'remove' ? { assetReportToken: report.asset_report_token } : { auditCopyToken: copy.audit_copy_token };

	const run = await suite.run({ resource: 'assetReport', operation, ...parameters, options: ROW }, V11);

	expect(rowsOf(run)[0]).toMatchObject({ operation: `assetReport.${operation}`, outcome: 'removed', removed: true, user_id: null, item_id: null, item_ids: null });
});
