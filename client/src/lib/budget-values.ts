// What the budget form checks before it sends anything: the values GraphQL itself would
// refuse while coercing BudgetInput (an empty field, a fraction for an Int), so no answer ever
// has to be read out of a graphql-js error message. The budget rules are the server's.

/** Why `value` cannot be sent for a budget field, or null when it can. */
export function budgetValueProblem(value: number | null | undefined, wholeNumber: boolean): string | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'Enter a number.';
  if (wholeNumber && !Number.isInteger(value)) return `Must be a whole number (${value} is not).`;
  return null;
}
