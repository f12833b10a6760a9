import { useState } from 'preact/hooks';
import type { TargetedSubmitEvent, VNode } from 'preact';
import { useTranslation } from '../../../../staff/i18n.ts';
import { ApiError } from '../../../../staff/http.ts';
import { useLogin } from '../api/login.ts';

/** Pages outside the dashboard that send visitors here to log in (`?next=`); anything else is ignored. */
const NEXT_PAGES = ['/debug'];

function followNext() {
  const next = new URLSearchParams(location.search).get('next');
  if (next && NEXT_PAGES.includes(next)) location.assign(next);
}

export function LoginPage({ languageSwitcher }: { languageSwitcher?: VNode }) {
  const { t } = useTranslation();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The promise settles even when this page unmounts (it does, once the agent is known).
    login.mutateAsync({ email, password }).then(followNext, () => {});
  };

  let error: string | null = null;
  if (login.error) {
    const err = login.error;
    if (err instanceof ApiError && err.status === 401) error = t('auth.invalid');
    else if (err instanceof ApiError && err.status === 429) error = err.message;
    else error = t('errors.generic');
  }

  return (
    <main class="login">
      <form class="card login-card" onSubmit={onSubmit} aria-labelledby="login-title">
        <div class="login-brand" aria-hidden="true">
          <span class="brand-mark">TF</span>
        </div>
        <h1 id="login-title">{t('auth.title')}</h1>
        <p class="muted">{t('auth.subtitle')}</p>
        <label class="field">
          <span>{t('auth.email')}</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>{t('auth.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="btn btn-primary btn-block" disabled={login.isPending}>
          {login.isPending ? t('auth.submitting') : t('auth.submit')}
        </button>
        {languageSwitcher}
      </form>
    </main>
  );
}
