/**
 * What a test file starts for its tests, set up and taken down in one place: `perFile` starts
 * servers (and anything else) once before the file's first test and closes them after its last;
 * `perTest` does the same around each test; `emulatorPerFile` is the Plaid emulator, reset before
 * each test, and `addUserWithItems` seeds it. A file names what it starts at its top, as
 * constants (`const { emulator } = …`): each is a stand-in that reaches the started value, so
 * tests use it as if it were that value. No engine here, so the emulator's own tests can use it
 * without loading n8n.
 */
import { startEmulator, type EmulatorOptions, type PlaidEmulator } from '../emulator';

type Started = Record<string, object>;
type EachTest<T> = (started: T) => unknown;

/**
 * A stand-in for a value made later, in a jest hook: every use (fields, methods, `in`, keys,
 * instanceof) reaches the value `current()` returns. Used before the hook has run, it says so.
 */
function standIn<T extends object>(name: string, current: () => T | undefined): T {
	const value = (): T => {
		const started = current();
		if (started === undefined) throw new Error(`${name} is started in a jest hook: use it inside a test or a hook`);
		return started;
	};
	return new Proxy({} as T, {
		get: (_, key) => Reflect.get(value(), key),
		set: (_, key, newValue) => Reflect.set(value(), key, newValue),
		has: (_, key) => Reflect.has(value(), key),
		ownKeys: () => Reflect.ownKeys(value()),
		// The stand-in's own target is an empty object: a field it reports must be configurable.
		getOwnPropertyDescriptor: (_, key) => {
			const descriptor = Reflect.getOwnPropertyDescriptor(value(), key);
			return descriptor && { ...descriptor, configurable: true };
		},
		defineProperty: (_, key, descriptor) => Reflect.defineProperty(value(), key, descriptor),
		deleteProperty: (_, key) => Reflect.deleteProperty(value(), key),
		getPrototypeOf: () => Reflect.getPrototypeOf(value()),
	});
}

const hasClose = (value: object): value is { close(): unknown } => typeof (value as { close?: unknown }).close === 'function';

/** Closes what `start` returned that can be closed, the last started first. */
async function closeAll(started: Started | undefined): Promise<void> {
	for (const value of Object.values(started ?? {}).reverse()) if (hasClose(value)) await value.close();
}

/** Stand-ins for each field of what the hooks start, by name (destructure them at the top of the file). */
function standIns<T extends Started>(current: () => T | undefined): T {
	return new Proxy({} as T, { get: (_, key) => standIn(String(key), () => current()?.[key as keyof T]) });
}

/**
 * Starts what `start` returns once, before the file's (or the describe block's) first test, and
 * closes every field with a close() after its last; `eachTest` runs before each test.
 */
export function perFile<T extends Started>(start: () => Promise<T>, eachTest?: EachTest<T>): T {
	let started: T | undefined;
	beforeAll(async () => {
		started = await start();
	});
	afterAll(async () => await closeAll(started));
	if (eachTest) beforeEach(async () => await eachTest(started as T));
	return standIns(() => started);
}

/** Starts what `start` returns before each test and closes it after, for tests that each need a fresh one. */
export function perTest<T extends Started>(start: () => Promise<T>): T {
	let started: T | undefined;
	beforeEach(async () => {
		started = await start();
	});
	afterEach(async () => {
		const done = started;
		started = undefined;
		await closeAll(done);
	});
	return standIns(() => started);
}

/**
 * One emulator for the file (or describe block), reset before each test (users, Items, faults,
 * recorded requests; keys and limits stay), then `eachTest` (shapes, seeding).
 */
export function emulatorPerFile(options?: EmulatorOptions, eachTest?: EachTest<PlaidEmulator>): PlaidEmulator {
	const { emulator } = perFile(
		async () => ({ emulator: await startEmulator(options) }),
		async ({ emulator }) => {
			emulator.reset();
			await eachTest?.(emulator);
		},
	);
	return emulator;
}

/** Adds `userId` with `itemCount` Items the emulator makes up (IDs and tokens); `extra` adds to the user. */
export function addUserWithItems(emulator: PlaidEmulator, userId: string, itemCount: number, extra: Record<string, unknown> = {}) {
	const user = emulator.addUser({ user_id: userId, items: Array.from({ length: itemCount }, () => ({})), ...extra });
	return { user, itemIds: emulator.itemIdsOf(userId) };
}

/** Forgets the requests each server recorded (before each test, so that each test reads its own). */
export function forgetRequests(...servers: Array<{ requests: unknown[] }>): void {
	for (const server of servers) server.requests.length = 0;
}
