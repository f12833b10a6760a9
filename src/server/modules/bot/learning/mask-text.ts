/**
 * What is kept of a customer's question: e-mail addresses, phone numbers and order numbers replaced by
 * a placeholder before anything is written (issue 20). Order numbers go before phones so that
 * "TF-20931" reads as an order, and a phone is 8+ digits with the usual separators.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const ORDER = /(?<![\p{L}\p{N}])(?:#|[a-z]{1,4}-?)?\d{4,12}(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])[a-z]{1,4}-\d{3,12}(?![\p{L}\p{N}])/giu;
const PHONE = /(?<![\p{L}\p{N}])\+?\d(?:[\s./-]?\d){7,14}(?![\p{L}\p{N}])/gu;

export const MASKS = { email: '[email]', phone: '[phone]', order: '[order]' } as const;

export function maskText(text: string): string {
  return text
    .replace(EMAIL, MASKS.email)
    .replace(PHONE, MASKS.phone)
    .replace(ORDER, MASKS.order)
    .trim();
}
