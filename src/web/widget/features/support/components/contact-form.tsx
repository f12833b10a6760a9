import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';

export type ContactInput = { email: string; message: string; orderNumber?: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ORDER = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const MESSAGE_MAX = 5000;

/**
 * The contact form (seed: mode `support`) that opens a ticket. It checks what it can before sending
 * (the server checks again) and keeps what was typed when sending fails.
 */
export function ContactForm({
  onSubmit,
  busy = false,
  initial,
  emailOnly = false,
  notice,
}: {
  onSubmit: (input: ContactInput) => void;
  busy?: boolean;
  initial?: Partial<ContactInput>;
  /** The chat thread's handoff: the message is the thread itself, only the e-mail is missing. */
  emailOnly?: boolean;
  /** Shown under the intro (the support hours' "a person will answer tomorrow from 11:00"). */
  notice?: ComponentChildren;
}) {
  const { t } = useTranslation();
  const [email, setEmail] = useState(initial?.email ?? '');
  const [orderNumber, setOrderNumber] = useState(initial?.orderNumber ?? '');
  const [message, setMessage] = useState(initial?.message ?? '');
  const [errors, setErrors] = useState<Partial<Record<keyof ContactInput, string>>>({});

  const submit = (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const next: typeof errors = {};
    if (!EMAIL.test(email.trim())) next.email = t('support.invalid_email');
    if (orderNumber.trim() && !ORDER.test(orderNumber.trim())) next.orderNumber = t('support.invalid_order');
    if (!message.trim()) next.message = t('support.empty_message');
    setErrors(next);
    if (Object.keys(next).length) {
      const first = (e.currentTarget as HTMLFormElement).querySelector<HTMLElement>('[aria-invalid="true"]');
      first?.focus();
      return;
    }
    onSubmit({ email: email.trim(), message: message.trim(), ...(orderNumber.trim() ? { orderNumber: orderNumber.trim() } : {}) });
  };

  const describedBy = (field: keyof ContactInput) => (errors[field] ? `tf-contact-${field}-error` : undefined);
  return (
    <form class="tf-form" onSubmit={submit} noValidate aria-labelledby="tf-contact-title">
      <h2 id="tf-contact-title" class="tf-h2">
        {t('support.title')}
      </h2>
      <p class="tf-muted">{t('support.intro')}</p>
      {notice}
      <label class="tf-field">
        <span class="tf-label">{t('support.email')}</span>
        <input
          class="tf-input"
          name="email"
          type="email"
          autoComplete="email"
          required
          maxLength={254}
          value={email}
          aria-invalid={errors.email ? 'true' : undefined}
          aria-describedby={describedBy('email')}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        {errors.email && (
          <span id="tf-contact-email-error" class="tf-field__error">
            {errors.email}
          </span>
        )}
      </label>
      <small class="tf-muted">
        {t('support.privacy')}{' '}
        <a href="/privacy" target="_blank" rel="noopener">
          {t('support.privacy_link')}
        </a>
      </small>
      {!emailOnly && <>
      <label class="tf-field">
        <span class="tf-label">{t('support.order_number')}</span>
        <input
          class="tf-input"
          name="orderNumber"
          autoComplete="off"
          maxLength={64}
          value={orderNumber}
          aria-invalid={errors.orderNumber ? 'true' : undefined}
          aria-describedby={describedBy('orderNumber')}
          onInput={(e) => setOrderNumber(e.currentTarget.value)}
        />
        {errors.orderNumber && (
          <span id="tf-contact-orderNumber-error" class="tf-field__error">
            {errors.orderNumber}
          </span>
        )}
      </label>
      <label class="tf-field">
        <span class="tf-label">{t('support.message')}</span>
        <textarea
          class="tf-input tf-textarea"
          name="message"
          required
          rows={4}
          maxLength={MESSAGE_MAX}
          value={message}
          aria-invalid={errors.message ? 'true' : undefined}
          aria-describedby={describedBy('message')}
          onInput={(e) => setMessage(e.currentTarget.value)}
        />
        {errors.message && (
          <span id="tf-contact-message-error" class="tf-field__error">
            {errors.message}
          </span>
        )}
      </label>
      </>}
      <button type="submit" class="tf-btn" disabled={busy}>
        {busy ? t('support.sending') : t('support.submit')}
      </button>
    </form>
  );
}
