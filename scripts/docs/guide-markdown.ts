// The implementation guide (model/guide.ts), for docs/implementation.md as Markdown: for each part of
// the system, its steps in order, each with the calls it stands for.
import type { GuidePart } from '../../model/guide.ts';

const CALL_WORDS: Readonly<Record<string, string>> = {
  SQL: 'SQL, one transaction',
  HTTP: 'HTTP',
  Redis: 'Redis',
  browser: 'browser',
};

/** One part's steps as a numbered list (the SQL and HTTP text in code blocks). */
function partMarkdown(part: GuidePart): string[] {
  const out = [`### ${part.part}`, ''];
  part.steps.forEach((step, i) => {
    out.push(`${i + 1}. **\`${step.action}\`**${step.unchanged ? ' (as the main branch does it today)' : ''}`);
    for (const call of step.calls) {
      const fence = call.call === 'SQL' ? 'sql' : '';
      out.push(
        '',
        `   ${CALL_WORDS[call.call]}, in ${call.where}:`,
        '',
        `   \`\`\`${fence}`,
        ...call.text.split('\n').map((l) => `   ${l}`),
        '   ```',
      );
      if (call.onAnswer !== undefined) out.push('', `   Then: ${call.onAnswer}.`);
      if (call.clock !== undefined) out.push('', `   Clock: ${call.clock}.`);
    }
    out.push('');
  });
  return out;
}

/** The guide of a design as Markdown sections (no title: the page around it has one). */
export function guideMarkdown(parts: readonly GuidePart[]): string {
  return parts
    .flatMap(partMarkdown)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
}
