// A source's command, split into argv the way a POSIX shell splits words — quotes and
// backslashes only. No shell runs it: no variables, globs, pipes or redirections, so a
// command stored by an admin cannot be made to do more than run one program.

/** The argv, or a sentence saying why the text cannot be split. */
export function splitCommand(text: string): string[] | string {
  const args: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\u0000' || (c < ' ' && c !== '\t')) return 'must not contain control characters';
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) args.push(word);
      word = '';
      inWord = false;
    } else if ('|&;<>$`'.includes(c)) {
      return `runs without a shell: quote the character '${c}' if it is meant literally`;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return 'has an unterminated quote';
  if (inWord) args.push(word);
  if (args.length === 0) return 'is empty';
  return args;
}
