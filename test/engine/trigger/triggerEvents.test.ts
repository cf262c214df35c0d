/**
 * The trigger's `events` list against the webhooks the installed plaid SDK describes, and a
 * Plaid Check webhook through n8n's webhook path.
 */
import { ALL_EVENTS, eventOptions } from '../../../nodes/PlaidTrigger/events';
import { startEmulator } from '../../emulator';
import { loadPackage } from '../../harness/engine';
import { sdkVersion, sdkWebhooks } from '../../harness/plaidSdkWebhooks';
import { startTriggerServer } from '../../harness/webhook';
import { emulatorCredentials } from '../../harness/workflows';

const offered = eventOptions.map((option) => String(option.value)).filter((value) => value !== ALL_EVENTS);
const described = new Set(sdkWebhooks().map(({ type, code }) => `${type}.${code}`));

/** Webhook types offered in full: what an offboarding and a Plaid Check (consumer report) integration see. */
const COVERED_TYPES = ['ITEM', 'CHECK_REPORT', 'CRA_REPORT', 'CRA_INCOME', 'CRA_INSIGHTS', 'BASE_REPORT', 'CASH_FLOW_UPDATES', 'AUTH'];
/** AUTH webhooks that say nothing about a connection ending or a user's verification: not offered. */
const AUTH_NOT_OFFERED = ['AUTH.DEFAULT_UPDATE', 'AUTH.PRODUCT_PERMISSIONS_REQUIRED', 'AUTH.SMS_MICRODEPOSITS_VERIFICATION'];
/** Shipped in version 1: saved workflows store these values. */
const SHIPPED = [
	'*',
	'ITEM.ERROR',
	'ITEM.LOGIN_REPAIRED',
	'ITEM.NEW_ACCOUNTS_AVAILABLE',
	'ITEM.PENDING_DISCONNECT',
	'ITEM.PENDING_EXPIRATION',
	'ITEM.USER_ACCOUNT_REVOKED',
	'ITEM.USER_PERMISSION_REVOKED',
	'ITEM.WEBHOOK_UPDATE_ACKNOWLEDGED',
];

describe(`the events list against plaid ${sdkVersion()}`, () => {
	it('offers only webhooks the SDK describes', () => {
		expect(described.size).toBeGreaterThan(50);
		expect(offered.filter((value) => !described.has(value))).toEqual([]);
	});

	it('offers every webhook of the covered types', () => {
		const expected = [...described].filter((name) => COVERED_TYPES.includes(name.split('.')[0]) && !AUTH_NOT_OFFERED.includes(name));
		expect([...offered].sort()).toEqual(expected.sort());
		for (const value of ['CHECK_REPORT.CHECK_REPORT_READY', 'CRA_REPORT.CRA_REPORT_UPDATED', 'AUTH.VERIFICATION_EXPIRED', 'BASE_REPORT.ERROR']) {
			expect(offered).toContain(value);
		}
	});

	it('keeps every value it shipped, sorted by name, each once', () => {
		const values = eventOptions.map((option) => option.value);
		expect(values).toEqual(expect.arrayContaining(SHIPPED));
		expect(new Set(values).size).toBe(values.length);
		const names = eventOptions.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(eventOptions.every((option) => typeof option.description === 'string' && option.description.length > 0)).toBe(true);
	});
});

describe('a Plaid Check webhook through the trigger', () => {
	it('starts a run when its event is selected, and is answered 200 without one otherwise', async () => {
		const loaded = await loadPackage();
		const emulator = await startEmulator();
		const checkReports = await startTriggerServer({ loaded, credentials: emulatorCredentials(emulator), parameters: { events: ['CHECK_REPORT.CHECK_REPORT_READY'] } });
		const itemsOnly = await startTriggerServer({ loaded, credentials: emulatorCredentials(emulator), parameters: { events: ['ITEM.USER_PERMISSION_REVOKED'] } });
		try {
			const ready = { webhook_type: 'CHECK_REPORT', webhook_code: 'CHECK_REPORT_READY', user_id: 'usr_check', successful_products: ['cra_base_report'], environment: 'sandbox' };

			expect(await emulator.sendWebhook(checkReports.url, ready)).toMatchObject({ status: 200, body: { message: 'received' } });
			expect(checkReports.started.map((call) => call.items?.[0].json)).toEqual([{ ...ready, verified: true, verification_key_id: emulator.currentKeyId }]);

			const other = await emulator.sendWebhook(itemsOnly.url, { ...ready, user_id: 'usr_check_2' });
			expect(other).toMatchObject({ status: 200, body: { message: 'event not selected in the trigger; nothing started' } });
			expect(itemsOnly.started).toHaveLength(0);
		} finally {
			await checkReports.close();
			await itemsOnly.close();
			await emulator.close();
		}
	});
});
