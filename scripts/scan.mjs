// Runs n8n's community-package scanner on this package exactly as it would be published:
// `npm pack`, unpack into a scratch folder, then the scanner's own analyzePackage().
// (The scanner's CLI only scans packages already on the registry.)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-plaid-scan-'));

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

	const result = await analyzePackage(unpacked);
	console.log(`Scanned ${packed.name}@${packed.version}: ${packed.entryCount} files, ${packed.size} bytes packed`);
	if (!result.passed) {
		console.error(result.message);
		if (result.details) console.error(result.details);
		process.exitCode = 1;
	} else {
		console.log('n8n community package scan: passed');
	}
} finally {
	rmSync(scratch, { recursive: true, force: true });
}
