// Text checks for auth inputs: the license domain's one text rule (licenses/text.ts), so a
// token's name is refused with the same words as a tool's.
import { InvalidInputError } from '../licenses/index.ts';
import { checkText } from '../licenses/text.ts';

export { InvalidInputError };
export const checkTextProblem = (field: string, value: string): void => checkText(field, value);
