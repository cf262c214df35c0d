/**
 * The emulator's CLI as a newcomer meets it: --help, the one JSON line on stdout that suites parse, the
 * lines for people on stderr, the shapes as flags, a bad flag; and docs/emulator.md, which must name
 * every flag and show the demo data the seed really makes. Every child's stderr is read here, never
 * printed into the test log.
 */
import { seedDemo, PlaidEmulator } from '../index';
import { DEMO_ASSET_REPORT } from '../seed';
import { SHAPE_SPECS } from '../shapes';
import { startEmulatorCli } from '../../harness/emulatorProcess';
import { readRepoFile } from '../../harness/repoFiles';

const BASIC_FLAGS = ['--help', '--port', '--seed', '--client-id', '--secret', '--environment', '--latency-ms', '--jitter', '--rate-limit', '--rate-limits', '--quiet'];
const SHAPE_FLAGS = Object.values(SHAPE_SPECS).map((spec) => spec.flag);

/** Everything a CLI run printed, once it has ended. */
async function runToEnd(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const cli = startEmulatorCli(args);
	const code = await cli.exited;
	return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

it('--help prints every flag and each shape with its values on stdout, and exits 0', async () => {
	const { code, stdout, stderr } = await runToEnd(['--help']);
	expect([code, stderr]).toEqual([0, '']);
	expect(stdout.split('\n')[0]).toBe('usage: node test/emulator/cli.js [flags]');
	for (const flag of [...BASIC_FLAGS, ...SHAPE_FLAGS]) expect(stdout).toContain(flag);
	for (const spec of Object.values(SHAPE_SPECS)) if (Array.isArray(spec.values)) expect(stdout).toContain(spec.values.join('|'));
	expect(stdout).toContain('not in the installed package');
});

it('on start: one JSON line on stdout; where it listens, the keys and the demo data on stderr; shapes from flags', async () => {
	const cli = startEmulatorCli(['--seed', 'demo', '--secret', 'cli-test-secret', '--user-api', 'legacy', '--legacy-users-migrated', '--read-lag-ms', '250']);
	try {
		const firstLine = await cli.firstLine;
		const { url, clientId, secret } = JSON.parse(firstLine) as { url: string; clientId: string; secret: string };
		expect(cli.stdout()).toBe(`${firstLine}\n`);
		expect([url, clientId, secret]).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), 'emulator-client-id', 'cli-test-secret']);
		const shapes = ((await (await fetch(`${url}/__emulator/shapes`)).json()) as { shapes: Record<string, unknown> }).shapes;
		expect(shapes).toMatchObject({ userApi: 'legacy', legacyUsersMigrated: true, readLagMs: 250, notAttachedAnswer: 'ITEM_NOT_FOUND' });
		const switched = await fetch(`${url}/__emulator/shapes`, { method: 'POST', body: JSON.stringify({ shapes: { notAttachedAnswer: 'INVALID_FIELD' } }) });
		expect(((await switched.json()) as { shapes: Record<string, unknown> }).shapes.notAttachedAnswer).toBe('INVALID_FIELD');
		expect((await fetch(`${url}/__emulator/shapes`, { method: 'POST', body: JSON.stringify({ shapes: { userApi: 'old' } }) })).status).toBe(400);

		const stderr = cli.stderr();
		expect(stderr).toContain(`listening on ${url}`);
		expect(stderr).toContain('Client ID: emulator-client-id');
		expect(stderr).toContain('Secret:    cli-test-secret');
		expect(stderr).toContain(`Environment = Custom URL, Base URL = ${url}`);
		expect(stderr).toContain('Shapes: userApi=legacy, legacyUsersMigrated=true, readLagMs=250');
		const { alice, bob } = seedDemo(new PlaidEmulator());
		for (const item of [...alice.items.values(), ...bob.items.values()]) expect(stderr).toContain(`${item.item_id}  ${item.access_token}  ${item.institution_name}`);
		expect(stderr).toContain(DEMO_ASSET_REPORT.asset_report_token);
		expect(stderr).not.toMatch(/error|warn/i);
	} finally {
		cli.terminate();
	}
	expect(await cli.exited).toBe(0);
});

it('--quiet prints nothing on stderr; a bad flag or value prints one error on stderr and exits 2', async () => {
	const quiet = startEmulatorCli(['--quiet']);
	await quiet.firstLine;
	quiet.terminate();
	expect(await quiet.exited).toBe(0);
	expect(quiet.stderr()).toBe('');

	expect(await runToEnd(['--bogus'])).toEqual({ code: 2, stdout: '', stderr: 'plaid emulator: unknown argument --bogus\nRun it with --help for the usage.\n' });
	const badShape = await runToEnd(['--not-attached-answer', 'NOPE']);
	expect([badShape.code, badShape.stdout]).toEqual([2, '']);
	expect(badShape.stderr).toMatch(/^plaid emulator: --not-attached-answer: notAttachedAnswer must be one of "ITEM_NOT_FOUND", "INVALID_FIELD", "INVALID_REQUEST"/);
	expect((await runToEnd(['--read-lag-ms', 'soon'])).stderr).toMatch(/--read-lag-ms: readLagMs must be a number >= 0 \(got soon\)/);
});

describe('docs/emulator.md', () => {
	const page = readRepoFile('docs/emulator.md');

	it('names every flag and every shape with its values', () => {
		for (const flag of [...BASIC_FLAGS, ...SHAPE_FLAGS]) expect(page).toContain(flag);
		for (const [name, spec] of Object.entries(SHAPE_SPECS)) {
			expect(page).toContain(`(\`${name}\`)`);
			if (Array.isArray(spec.values)) for (const value of spec.values) expect(page).toContain(`\`${String(value)}\``);
		}
	});

	it('shows the demo users, Items, tokens and Asset Report the seed makes', () => {
		const { alice, bob } = seedDemo(new PlaidEmulator());
		for (const user of [alice, bob]) {
			for (const item of user.items.values()) {
				expect(page).toContain(`| \`${user.user_id}\` | \`${user.client_user_id}\` | \`${item.item_id}\` | \`${item.access_token}\` | ${item.institution_name} |`);
			}
		}
		for (const value of [DEMO_ASSET_REPORT.asset_report_token, DEMO_ASSET_REPORT.asset_report_id, DEMO_ASSET_REPORT.audit_copy_token]) expect(page).toContain(value);
	});
});
