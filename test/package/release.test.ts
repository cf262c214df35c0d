/**
 * Publishing as n8n's verification requires: from GitHub Actions, with an npm provenance statement
 * (`npx @n8n/scan-community-package` refuses a version without one, then lints the GitHub source it
 * names). The workflows cannot run here, so these tests read them for what GitHub and npm need, and
 * run `npm publish` against a local registry to show that npm refuses any other way.
 */
import { parse } from 'yaml';

import packageJson from '../../package.json';
import plaidCodex from '../../nodes/Plaid/Plaid.node.json';
import triggerCodex from '../../nodes/PlaidTrigger/PlaidTrigger.node.json';
import { startLocalRegistry, type LocalRegistry } from '../harness/localRegistry';
import { publishFromOutsideTheWorkflow } from '../harness/npm';
import { readRepoFile } from '../harness/repoFiles';

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, string>;
	env?: Record<string, string>;
}
interface Job {
	'runs-on': string;
	permissions?: Record<string, string>;
	strategy?: { matrix: Record<string, string[]> };
	steps: Step[];
}
interface Workflow {
	name: string;
	on: { push?: { tags?: string[]; branches?: string[] }; pull_request?: unknown };
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const TEMPLATES = 'node_modules/@n8n/node-cli/dist/template/templates';
/** Each publish packs the build and runs npm: seconds here, more on a busy machine. */
const PUBLISH_TIMEOUT = 120_000;

/** n8n's template for a workflow, filled in for npm as `n8n-node release --init-workflow` does. */
function templateWorkflow(file: string): Workflow {
	const text = readRepoFile(`${TEMPLATES}/shared/default/.github/workflows/${file}`)
		.replaceAll('{{packageManager.name}}', 'npm')
		.replaceAll('{{packageManager.installCommand}}', 'ci');
	return parse(text);
}

const workflow = (file: string): Workflow => parse(readRepoFile(`.github/workflows/${file}`));
const onlyJob = (flow: Workflow): Job => {
	expect(Object.keys(flow.jobs)).toHaveLength(1);
	return Object.values(flow.jobs)[0];
};
const runs = (job: Job): string[] => job.steps.flatMap((step) => (step.run ? [step.run.trim()] : []));
const stepNamed = (job: Job, name: string): Step | undefined => job.steps.find((step) => step.name === name);
const npmScript = (name: string) => new RegExp(`(^|\\n)npm run ${name}$`, 'm');

/** Every step of n8n's template, in its order, is in ours (ours may add steps between them). */
function expectTemplateSteps(ours: Job, template: Job): void {
	let at = -1;
	for (const step of template.steps) {
		const index = ours.steps.findIndex((candidate, i) => i > at && (candidate.name ?? candidate.uses) === (step.name ?? step.uses));
		expect({ step: step.name ?? step.uses, found: index > at }).toEqual({ step: step.name ?? step.uses, found: true });
		if (step.run) expect(ours.steps[index].run?.trim()).toBe(step.run.trim());
		at = index;
	}
}

describe('publish workflow (.github/workflows/publish.yml)', () => {
	const publish = workflow('publish.yml');
	const job = onlyJob(publish);

	it('runs on a version tag push and on nothing else', () => {
		expect(Object.keys(publish.on)).toEqual(['push']);
		expect(publish.on.push).toEqual({ tags: ['*.*.*'] });
	});

	it('may mint the OIDC token that npm signs provenance with, and only read the repository', () => {
		expect({ ...publish.permissions, ...job.permissions }).toEqual({ 'id-token': 'write', contents: 'read' });
	});

	it('keeps every step of n8n’s template, in order', () => {
		expectTemplateSteps(job, onlyJob(templateWorkflow('publish.yml')));
	});

	it('sets up Node.js, installs exactly the lockfile, tests, then publishes through the release script', () => {
		const setupNode = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
		expect(setupNode?.with?.['node-version']).toBe('lts/*');
		const commands = runs(job);
		const install = commands.indexOf('npm ci');
		const test = commands.indexOf('npm test');
		const release = commands.findIndex((command) => npmScript('release').test(command));
		expect(install).toBeGreaterThanOrEqual(0);
		expect(test).toBeGreaterThan(install);
		expect(release).toBeGreaterThan(test);
		expect(commands.some((command) => /npm publish|--provenance=false|no-provenance/.test(command))).toBe(false);
	});

	it('hands the release step the NPM_TOKEN secret (the CLI’s own rendering of the template drops it)', () => {
		expect(stepNamed(job, 'Release')?.env).toEqual({ NPM_TOKEN: '${{ secrets.NPM_TOKEN }}' });
	});
});

describe('CI workflow (.github/workflows/ci.yml)', () => {
	const ci = workflow('ci.yml');
	const job = onlyJob(ci);

	it('runs on pull requests and pushes to main', () => {
		expect(ci.on).toEqual({ pull_request: null, push: { branches: ['main'] } });
	});

	it('keeps every step of n8n’s template, in order', () => {
		expectTemplateSteps(job, onlyJob(templateWorkflow('ci.yml')));
	});

	it('installs exactly the lockfile, then lints, typechecks, builds, tests, scans and runs the demo, on Node 20 and the current LTS', () => {
		expect(job.strategy?.matrix['node-version']).toEqual(['20', 'lts/*']);
		expect(job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe('${{ matrix.node-version }}');
		expect(runs(job)).toEqual(['npm ci', 'npm run lint', 'npm run typecheck', 'npm run build', 'npm test', 'npm run scan', 'npm run demo']);
	});
});

describe('package.json', () => {
	const template = JSON.parse(readRepoFile(`${TEMPLATES}/programmatic/example/template/package.json`));

	it('has the release, prepublishOnly and lint scripts of n8n’s template', () => {
		for (const script of ['release', 'prepublishOnly', 'lint:fix']) {
			expect({ script, command: packageJson.scripts[script as keyof typeof packageJson.scripts] }).toEqual({ script, command: template.scripts[script] });
		}
		// The template's lint prints nothing when it passes; ours says so after it, only when it exits 0.
		expect(packageJson.scripts.lint).toMatch(new RegExp(`^${template.scripts.lint} && echo [^&|;]+$`));
		expect(packageJson.devDependencies).toHaveProperty('release-it');
	});

	it('asks npm for provenance on every publish, public from the first one', () => {
		expect(packageJson.publishConfig).toEqual({ access: 'public', provenance: true });
	});

	it('keeps eslint.config.mjs exactly as n8n’s template has it (strict mode)', () => {
		const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();
		expect(packageJson.n8n.strict).toBe(true);
		expect(squeeze(readRepoFile('eslint.config.mjs'))).toBe(squeeze(readRepoFile(`${TEMPLATES}/shared/default/eslint.config.mjs`)));
	});

	it('names one GitHub repository everywhere: repository, homepage, bugs, author, publish.yml and the codex links', () => {
		// npm checks that repository.url is the repository whose workflow signs the provenance.
		const match = /^git\+https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)\.git$/.exec(packageJson.repository.url);
		expect(match).not.toBeNull();
		const [owner, name] = [match?.[1], match?.[2]];
		const repo = `https://github.com/${owner}/${name}`;
		expect(packageJson.author.url).toBe(`https://github.com/${owner}`);
		expect(readRepoFile('.github/workflows/publish.yml')).toMatch(new RegExp(`Repository owner: ${owner}\\n#\\s+Repository name:\\s+${name}\\n`));
		expect(packageJson.homepage).toBe(`${repo}#readme`);
		expect(packageJson.bugs.url).toBe(`${repo}/issues`);
		const links = [plaidCodex, triggerCodex].flatMap((codex) => Object.values(codex.resources).flat().map((resource) => resource.url));
		expect(links.length).toBeGreaterThanOrEqual(4);
		for (const link of links) expect(link.startsWith(`${repo}#`)).toBe(true);
	});

	it('states the n8n and Node.js versions the package runs on', () => {
		expect(packageJson.engines).toEqual({ node: '>=20', n8n: '>=1.85.0' });
	});
});

describe('publishing from anywhere but the publish workflow', () => {
	let registry: LocalRegistry;
	beforeAll(async () => {
		registry = await startLocalRegistry();
	}, PUBLISH_TIMEOUT);
	afterAll(async () => registry.close());
	beforeEach(() => registry.requests.splice(0));

	it('npm refuses on a developer’s machine: provenance can only be made in CI, and nothing is uploaded', async () => {
		const run = await publishFromOutsideTheWorkflow(registry.url);
		expect(run.code).not.toBe(0);
		expect(run.output).toContain('Automatic provenance generation not supported');
		expect(registry.publishes()).toEqual([]);
	}, PUBLISH_TIMEOUT);

	it('with lifecycle scripts on (this repository’s .npmrc turns them off), n8n’s prepublishOnly refuses first', async () => {
		const run = await publishFromOutsideTheWorkflow(registry.url, { args: ['--ignore-scripts=false'] });
		expect(run.code).not.toBe(0);
		expect(run.output).toContain('Run `npm run release` to publish the package');
		expect(registry.publishes()).toEqual([]);
	}, PUBLISH_TIMEOUT);

	it('npm refuses in GitHub Actions without id-token: write', async () => {
		const run = await publishFromOutsideTheWorkflow(registry.url, { ciEnv: { CI: 'true', GITHUB_ACTIONS: 'true' } });
		expect(run.code).not.toBe(0);
		expect(run.output).toContain('requires "write" access to the "id-token" permission');
		expect(registry.publishes()).toEqual([]);
	}, PUBLISH_TIMEOUT);

	it('the refusal is the provenance setting: without it the same publish reaches the registry, tarball only', async () => {
		const run = await publishFromOutsideTheWorkflow(registry.url, { args: ['--provenance=false'] });
		expect(run.code).toBe(0);
		expect(registry.publishes()).toEqual([{ method: 'PUT', url: '/n8n-nodes-plaid', attachments: [`n8n-nodes-plaid-${packageJson.version}.tgz`] }]);
	}, PUBLISH_TIMEOUT);
});
