/**
 * The set-ups that load this package into n8n's engine (fixtures.ts has the rest): the package as
 * n8n's loader loads it, and a Plaid Trigger listening on a file's emulator or on a fresh one.
 */
import { startEmulator, type EmulatorOptions, type PlaidEmulator } from '../emulator';
import { loadPackage } from './engine';
import { perFile, perTest } from './fixtures';
import { startTriggerServer } from './webhook';
import { emulatorCredentials } from './workflows';

export type Loaded = Awaited<ReturnType<typeof loadPackage>>;
export type TriggerServer = Awaited<ReturnType<typeof startTriggerServer>>;
type TriggerOptions = Omit<Parameters<typeof startTriggerServer>[0], 'credentials' | 'loaded'>;

/** The package, loaded once for the file. */
export function packagePerFile(): Loaded {
	return perFile(async () => ({ loaded: await loadPackage() })).loaded;
}

/**
 * A Plaid Trigger (webhook.js) with the credential of `on.emulator`, started once for the file
 * after the emulator; its calls are forgotten before each test. `node` and `parameters` as
 * startTriggerServer takes them.
 */
export function triggerPerFile(on: { emulator: PlaidEmulator; loaded?: Loaded }, options: TriggerOptions = {}): TriggerServer {
	const { trigger } = perFile(
		async () => ({ trigger: await startTriggerServer({ ...options, loaded: on.loaded, credentials: emulatorCredentials(on.emulator) }) }),
		({ trigger }) => {
			trigger.calls.length = 0;
		},
	);
	return trigger;
}

/**
 * A fresh emulator and a Plaid Trigger on it for each test: a fresh Plaid environment, with its own
 * webhook keys and, in the trigger, its own key-fetch budget.
 */
export function triggerPerTest(loaded: Loaded, emulatorOptions?: EmulatorOptions, options: TriggerOptions = {}): { emulator: PlaidEmulator; trigger: TriggerServer } {
	return perTest(async () => {
		const emulator = await startEmulator(emulatorOptions);
		return { emulator, trigger: await startTriggerServer({ ...options, loaded, credentials: emulatorCredentials(emulator) }) };
	});
}
