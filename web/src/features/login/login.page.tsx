import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.js';
import { useSession } from '../../api/session.js';
import { ErrorMessage } from '../../components/states.component.js';
import { useI18n } from '../../i18n/i18n.js';
import { navigate } from '../../router.js';

/** Masuk: username and password (and the authenticator code when the account has one). */
export function LoginPage() {
  const { t } = useI18n();
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password, needTotp ? totp.trim() : undefined);
      const next = new URLSearchParams(location.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') && next !== '/masuk' ? next : '/', true);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'totp_required') setNeedTotp(true);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="login">
      <h1>{t('login.title')}</h1>
      <p className="muted">{t('login.intro')}</p>
      <form onSubmit={submit} className="form">
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {needTotp && (
          <label>
            {t('login.totp')}
            <input name="totp" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" value={totp} onChange={(e) => setTotp(e.target.value)} />
          </label>
        )}
        {error !== null && <ErrorMessage error={error} />}
        <button type="submit" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
      </form>
    </section>
  );
}
