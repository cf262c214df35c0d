/**
 * The README and docs/ as a reader meets them on GitHub: every relative link leads to a file of the
 * repository and every #anchor to a heading (or an HTML id) of its page, named by GitHub's rules; the
 * README's first code block gives a newcomer the demo and the tests, as npm scripts that exist.
 */
import packageJson from '../../package.json';
import { listRepoFiles, readRepoFile } from '../harness/repoFiles';

const PAGES = ['README.md', ...listRepoFiles('docs').filter((file) => file.endsWith('.md'))];

/** Text outside fenced code blocks and inline code spans, where links and headings are meant. */
function prose(markdown: string): string {
	return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/**
 * GitHub's heading anchor: the heading's text as rendered (links by their text, code without its
 * backticks), lower-cased, every character but letters, digits, marks, `_`, `-` and spaces dropped,
 * spaces made hyphens; a repeated anchor gets -1, -2, … in page order.
 */
function githubSlug(heading: string): string {
	const text = heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.trim();
	return text
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

/** Every anchor a page offers: its headings' slugs (duplicates numbered) and its HTML ids and names. */
function anchorsOf(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
	for (const [, heading] of withoutFences.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
		const slug = githubSlug(heading);
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count === 0 ? slug : `${slug}-${count}`);
	}
	for (const [, id] of withoutFences.matchAll(/<[a-z]+[^>]*\s(?:id|name)="([^"]+)"/gi)) anchors.add(id);
	return anchors;
}

/** The targets of a page's inline links and images, and of its HTML href and src attributes. */
function linkTargets(markdown: string): string[] {
	const text = prose(markdown);
	const inline = [...text.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(([, target]) => target);
	const html = [...text.matchAll(/\s(?:href|src)="([^"]+)"/g)].map(([, target]) => target);
	return [...inline, ...html];
}

/** A repository path from a page's folder and a relative link, with `.` and `..` resolved. */
function resolveFrom(page: string, target: string): string {
	const parts = page.split('/').slice(0, -1);
	for (const part of decodeURIComponent(target).split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..') parts.pop();
		else parts.push(part);
	}
	return parts.join('/');
}

function existsInRepo(file: string): boolean {
	if (file === '') return true;
	try {
		readRepoFile(file);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EISDIR';
	}
}

const pageAnchors = new Map(PAGES.map((page) => [page, anchorsOf(readRepoFile(page))]));

describe.each(PAGES)('%s', (page) => {
	const targets = linkTargets(readRepoFile(page)).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));

	it('links only to files the repository has', () => {
		const missing = targets.map((target) => target.split('#')[0]).filter((file) => file !== '' && !existsInRepo(resolveFrom(page, file)));
		expect(missing).toEqual([]);
	});

	it("links only to anchors its target page has, by GitHub's rules", () => {
		const broken = targets
			.filter((target) => target.includes('#'))
			.filter((target) => {
				const [file, anchor] = target.split('#');
				const targetPage = file === '' ? page : resolveFrom(page, file);
				const anchors = pageAnchors.get(targetPage) ?? (targetPage.endsWith('.md') ? anchorsOf(readRepoFile(targetPage)) : undefined);
				return anchors !== undefined && !anchors.has(decodeURIComponent(anchor));
			});
		expect(broken).toEqual([]);
	});
});

it('finds the README’s links (a parser that found none would check nothing)', () => {
	expect(linkTargets(readRepoFile('README.md')).length).toBeGreaterThan(20);
});

describe("GitHub's anchor rules, as the pages use them", () => {
	it.each([
		['User → Remove Items', 'user--remove-items'],
		['Terminate, Remove or Remove Items?', 'terminate-remove-or-remove-items'],
		['Running at scale (queue mode)', 'running-at-scale-queue-mode'],
		['n8n 3.0 readiness', 'n8n-30-readiness'],
		['Recipe: offboard a customer from your CRM', 'recipe-offboard-a-customer-from-your-crm'],
		['The `n8n` block', 'the-n8n-block'],
		['[Linked](https://example.com) heading', 'linked-heading'],
	])('%s → #%s', (heading, slug) => {
		expect(githubSlug(heading)).toBe(slug);
	});

	it('numbers a repeated heading', () => {
		expect([...anchorsOf('# A\n## Same\n### Same\n```\n## Same\n```\n')]).toEqual(['a', 'same', 'same-1']);
	});
});

describe("the README's first code block", () => {
	const [, firstBlock] = /^```[^\n]*\n([\s\S]*?)^```/m.exec(readRepoFile('README.md')) ?? [];
	const commands = (firstBlock ?? '')
		.split('\n')
		.map((line) => line.replace(/#.*$/, '').trim())
		.filter((line) => line !== '');
	/** The package.json scripts the block's npm commands run: `npm run x`, `npm test`, `npm start`. */
	const scriptsRun = commands.flatMap((line) =>
		[...line.matchAll(/\bnpm\s+(?:run(?:-script)?\s+([\w:.-]+)|(test|start|stop|restart)\b)/g)].map(([, run, lifecycle]) => run ?? lifecycle),
	);

	it('holds the two commands a newcomer needs: the demo, then the tests', () => {
		expect(commands).toHaveLength(2);
		expect(scriptsRun).toEqual(['demo', 'test']);
	});

	it('runs only scripts package.json has', () => {
		const scripts: Record<string, string> = packageJson.scripts;
		expect(scriptsRun.filter((script) => !(script in scripts))).toEqual([]);
	});
});
