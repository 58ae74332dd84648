import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';

/** The shared loading indicator. */
export function Loading() {
  const { t } = useI18n();
  return <p className="state state-loading" role="status">{t('state.loading')}</p>;
}

/** The shared empty state. */
export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <p className="state state-empty">{children ?? t('state.empty')}</p>;
}

/** An API error in the user's language (network failures and 403 get their own words). */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t, pick } = useI18n();
  let text = t('error.unknown');
  if (error instanceof ApiError) {
    if (error.isNetwork) text = t('error.network');
    else if (error.bilingual) text = pick(error.bilingual);
    else if (error.status === 403) text = t('error.forbidden');
    else if (error.status === 404) text = t('error.notFound');
  }
  return <p className="state state-error" role="alert">{text}</p>;
}

/** Renders loading / error / content of one API state. */
export function Loaded<T>({ state, children }: { state: { data: T | null; error: unknown; loading: boolean }; children: (data: T) => ReactNode }) {
  if (state.error) return <ErrorMessage error={state.error} />;
  if (state.data === null) return <Loading />;
  return <>{children(state.data)}</>;
}
