/**
 * The structure docs/ARCHITECTURE.md describes, held against the code: which rooms may import which,
 * no import circle among product files, no product file over 300 lines, the transport reached only
 * through its face, process-wide state only in runtime/, and a router that lists no operation.
 */
import { resources } from '../../nodes/Plaid/actions/resources';
import { listRepoFiles, normalizePath as normalize, readRepoFile } from '../harness/repoFiles';

const product = [...listRepoFiles('nodes'), ...listRepoFiles('credentials')].filter((file) => file.endsWith('.ts'));
const source = readRepoFile;


/** The product files `file` imports (relative imports only; packages are not rooms). */
function importsOf(file: string): string[] {
	const found: string[] = [];
	for (const [, target] of source(file).matchAll(/from '(\.[^']+)'/g)) {
		const resolved = normalize(`${file.slice(0, file.lastIndexOf('/'))}/${target}`);
		const candidates = [`${resolved}.ts`, `${resolved}/index.ts`];
		const hit = candidates.find((candidate) => product.includes(candidate));
		if (hit) found.push(hit);
	}
	return found;
}

/** The room a file lives in, from the top down: what docs/ARCHITECTURE.md calls it. */
function roomOf(file: string): string {
	const rooms: Array<[RegExp, string]> = [
		[/^credentials\//, 'credentials'],
		[/^nodes\/shared\//, 'shared'],
		[/^nodes\/PlaidTrigger\//, 'trigger'],
		[/^nodes\/Plaid\/Plaid\.node\.ts$/, 'node'],
		[/^nodes\/Plaid\/actions\//, 'actions'],
		[/^nodes\/Plaid\/removal\//, 'removal'],
		[/^nodes\/Plaid\/transport\//, 'transport'],
		[/^nodes\/Plaid\/runtime\//, 'runtime'],
		[/^nodes\/Plaid\/helpers\//, 'helpers'],
	];
	const room = rooms.find(([pattern]) => pattern.test(file));
	if (!room) throw new Error(`${file} lives in no room of docs/ARCHITECTURE.md`);
	return room[1];
}

/** Which rooms each room may import (besides itself). */
const MAY_IMPORT: Record<string, string[]> = {
	credentials: ['shared'],
	shared: [],
	helpers: ['shared'],
	runtime: ['helpers', 'shared'],
	transport: ['runtime', 'helpers', 'shared'],
	removal: ['transport', 'runtime', 'helpers', 'shared'],
	actions: ['removal', 'transport', 'runtime', 'helpers', 'shared'],
	node: ['actions'],
	trigger: ['transport', 'runtime', 'shared'],
};

it('every product file is in a room, and imports only the rooms below it', () => {
	const breaches = product.flatMap((file) =>
		importsOf(file)
			.filter((target) => roomOf(target) !== roomOf(file) && !MAY_IMPORT[roomOf(file)].includes(roomOf(target)))
			.map((target) => `${file} (${roomOf(file)}) imports ${target} (${roomOf(target)})`),
	);
	expect(breaches).toEqual([]);
});

it('outside the transport, the transport is reached only through its face (transport/index.ts)', () => {
	const reachingIn = product
		.filter((file) => roomOf(file) !== 'transport')
		.flatMap((file) => importsOf(file).filter((target) => roomOf(target) === 'transport' && !target.endsWith('transport/index.ts')).map((target) => `${file} → ${target}`));
	expect(reachingIn).toEqual([]);
});

it('no import circle among product files', () => {
	const graph = new Map(product.map((file) => [file, importsOf(file)]));
	const circles: string[] = [];
	const state = new Map<string, 'open' | 'done'>();
	const visit = (file: string, trail: string[]) => {
		if (state.get(file) === 'done') return;
		if (state.get(file) === 'open') {
			circles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
			return;
		}
		state.set(file, 'open');
		for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
		state.set(file, 'done');
	};
	for (const file of product) visit(file, []);
	expect(circles).toEqual([]);
});

it('no product file over 300 lines', () => {
	const long = product.map((file) => [file, source(file).split('\n').length] as const).filter(([, lines]) => lines > 300);
	expect(long).toEqual([]);
});

it('state that outlives an execution is created only in runtime/ (processWide)', () => {
	const stores = product
		.filter((file) => roomOf(file) !== 'runtime')
		.filter((file) => /^(export )?(const|let) \w+(: [^=]+)? = new (Map|WeakMap)\b/m.test(source(file)) || /^let /m.test(source(file)));
	expect(stores).toEqual([]);
});

it('the router names no operation: it finds them in the declarations', () => {
	const router = source('nodes/Plaid/actions/router.ts');
	const operations = resources.flatMap((resource) => Object.keys(resource.operations));
	const resourceNames = resources.map((resource) => resource.option.value).join('|');
	const named = (operation: string) => new RegExp(`'${operation}'|\\b(${resourceNames})\\.${operation}\\b`).test(router);
	expect(operations.filter(named)).toEqual([]);
	expect(router).not.toMatch(/from '\.\/(user|item|sandbox|assetReport)\//);
});
