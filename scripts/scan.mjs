// Runs n8n's community-package scanner on this package as `npx @n8n/scan-community-package` does for a
// published version, less the registry: that command first requires the version's npm provenance
// (see .github/workflows/publish.yml), then lints the GitHub source the provenance names and the
// published tarball. Here the source is this working tree and the tarball comes from `npm pack`,
// each linted by the scanner's own analyzePackage() with the files that command lints.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, findPackageRoot, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-plaid-scan-'));

/** @param {string} label @param {{ passed: boolean, message?: string, details?: string }} result */
function report(label, result) {
	if (result.passed) {
		console.log(`${label}: passed`);
		return;
	}
	console.error(`${label}: ${result.message}`);
	if (result.details) console.error(result.details);
	process.exitCode = 1;
}

try {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], {
			cwd: root,
			encoding: 'utf8',
		}),
	)[0];
	const unpacked = path.join(scratch, 'package');
	mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(scratch, packed.filename), '-C', unpacked, '--strip-components=1']);

	// The scanner finds the package in a source checkout by its name, as in a monorepo.
	const sourceRoot = findPackageRoot(root, packed.name);
	if (sourceRoot !== root) throw new Error(`the scanner finds ${packed.name} at ${sourceRoot}, not at ${root}`);

	console.log(`Scanning ${packed.name}@${packed.version}: ${packed.entryCount} files, ${packed.size} bytes packed`);
	report(`source (${SOURCE_FILE_PATTERNS.join(', ')})`, await analyzePackage(sourceRoot, SOURCE_FILE_PATTERNS));
	report('tarball', await analyzePackage(unpacked));
	if (!process.exitCode) console.log('n8n community package scan: passed');
} finally {
	rmSync(scratch, { recursive: true, force: true });
}
