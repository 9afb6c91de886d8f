/**
 * What can go wrong with a fund action, as a code the caller words in the person's language
 * (`fund.error.<code>`). A policy refusal is a `PolicyDeniedError` instead (audited first).
 */
export const FUND_ERROR_CODES = [
  'no_fund',
  'no_fund_in_area',
  'several_funds',
  'area_not_found',
  'household_not_found',
  'household_outside_area',
  'receipt_recorded',
  'expense_not_found',
  'already_decided',
  'job_not_found',
  'bad_purpose',
] as const;
export type FundErrorCode = (typeof FUND_ERROR_CODES)[number];

export class FundError extends Error {
  override readonly name = 'FundError';
  constructor(
    readonly code: FundErrorCode,
    readonly vars: Record<string, string | number> = {},
  ) {
    super(`fund: ${code}`);
  }
}

const MESSAGE_KEYS: Record<FundErrorCode, string> = {
  no_fund: 'property_fund.error.no_fund',
  no_fund_in_area: 'property_fund.error.no_fund_in_area',
  several_funds: 'property_fund.error.several_funds',
  area_not_found: 'property_fund.error.area_not_found',
  household_not_found: 'property_fund.error.household_not_found',
  household_outside_area: 'property_fund.error.household_outside_area',
  receipt_recorded: 'property_fund.error.receipt_recorded',
  expense_not_found: 'property_fund.error.expense_not_found',
  already_decided: 'property_fund.error.already_decided',
  job_not_found: 'property_fund.error.job_not_found',
  bad_purpose: 'property_fund.error.bad_purpose',
};

/** The locale key of an error's sentence. */
export function fundErrorKey(code: FundErrorCode): string {
  return MESSAGE_KEYS[code];
}
