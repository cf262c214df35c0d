/**
 * What `npm pack` puts in the published tarball: package.json, README, LICENSE and the build of the
 * nodes and the credential (compiled JS, icons, codex JSON), nothing else: no test, emulator, script,
 * source or source map. Needs `npm run build` first, as every test here. The build does not empty
 * dist/, so a file an older build left there fails this test, as it would ship (`npm run clean`).
 */
import packageJson from '../../package.json';
import { installPackedTarball, packedFiles, type PackedFile } from '../harness/npm';
import { listRepoFiles, normalizePath as normalize, packageEntry, readRepoFile } from '../harness/repoFiles';

const PACKAGE_FILES = ['LICENSE.md', 'README.md', 'index.js', 'package.json'];
/** Source → what the build writes to dist/: tsc compiles the TypeScript, gulp copies the assets. */
const BUILT_FROM_SOURCE: Array<[RegExp, string]> = [
	[/\.ts$/, '.js'],
	[/\.(svg|png)$/, '$&'],
	[/\.node\.json$/, '$&'],
];

/** The dist/ files that the sources in nodes/ and credentials/ build to. */
function expectedBuild(): string[] {
	const built: string[] = [];
	for (const source of [...listRepoFiles('nodes'), ...listRepoFiles('credentials')]) {
		const rule = BUILT_FROM_SOURCE.find(([pattern]) => pattern.test(source));
		if (rule) built.push(`dist/${source.replace(rule[0], rule[1])}`);
	}
	return built.sort();
}

let files: PackedFile[];
let paths: string[];

beforeAll(async () => {
	files = await packedFiles();
	paths = files.map((file) => file.path).sort();
}, 120_000);

it('holds only package.json, README, LICENSE, the entry index.js and the build of nodes/ and credentials/', () => {
	expect(paths).toEqual([...PACKAGE_FILES, ...expectedBuild()].sort());
});

it('holds no test, emulator, script, TypeScript source, declaration or source map', () => {
	const unwanted = paths.filter((file) => /(^|\/)(test|tests|__tests__|scripts|bench|examples|docs|emulator|harness|e2e)\//.test(file) || /\.(ts|map|tsbuildinfo)$/.test(file) || /\.test\.|\.spec\./.test(file));
	expect(unwanted).toEqual([]);
});

it('holds every file that the n8n block of package.json names, and no empty file', () => {
	for (const entry of [...packageJson.n8n.nodes, ...packageJson.n8n.credentials]) expect(paths).toContain(entry);
	expect(files.filter((file) => file.size === 0)).toEqual([]);
});

it('has each node’s codex file beside it, and every icon a built node or credential names', () => {
	for (const node of packageJson.n8n.nodes) expect(paths).toContain(node.replace(/\.js$/, '.json'));
	const named = [...packageJson.n8n.nodes, ...packageJson.n8n.credentials].flatMap((entry) => {
		const folder = entry.slice(0, entry.lastIndexOf('/'));
		return [...readRepoFile(entry).matchAll(/'file:([^']+)'/g)].map((match) => normalize(`${folder}/${match[1]}`));
	});
	expect(named.length).toBeGreaterThanOrEqual(6);
	for (const icon of named) expect(paths).toContain(icon);
});

it('its entry (package.json main, index.js) gives the node, the trigger and the credential classes of dist/', () => {
	expect(packageJson.main).toBe('index.js');
	const { entry, built } = packageEntry();
	expect(Object.fromEntries(Object.entries(entry).map(([name, value]) => [name, value.name]))).toEqual({ Plaid: 'Plaid', PlaidTrigger: 'PlaidTrigger', PlaidApi: 'PlaidApi' });
	expect(entry).toEqual(built);
});

it('npm install of the tarball adds the package alone: n8n-workflow is an optional peer, which n8n provides', async () => {
	expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(packageJson.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
	const { code, output, installed } = await installPackedTarball();
	expect([code, output]).toEqual([0, expect.any(String)]);
	// npm would otherwise install n8n-workflow 2.x, whose isolated-vm needs Node 24 (issue seen on Node 20).
	expect(installed).toEqual(['n8n-nodes-plaid']);
}, 120_000);

