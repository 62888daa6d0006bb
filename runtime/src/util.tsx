// Small shared pieces: loading data, showing a failure, formatting dates and scores.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Spin } from 'antd';
import dayjs from 'dayjs';
import { ApiError } from './api.ts';
import { useI18n, type Locale } from './i18n.tsx';

export interface Async<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

/** Runs `load` when its dependencies (and the UI language) change; keeps the last data while reloading. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const { locale } = useI18n();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setLoading(true);
    loadRef.current().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'client', String((e as Error)?.message ?? e)));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, locale, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="page-loading" role="status" aria-live="polite">
      <Spin />
      <span>{t('common.loading')}</span>
    </div>
  );
}

export function LoadError({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Alert
      type="error"
      showIcon
      title={t('common.error')}
      description={error.message}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

/** Renders children once `a` has data; a spinner before, the error (with retry) on failure. */
export function Loaded<T>({ a, children }: { a: Async<T>; children: (data: T) => ReactNode }) {
  if (a.data !== undefined) return <>{children(a.data)}</>;
  if (a.error) return <LoadError error={a.error} onRetry={a.reload} />;
  return <Loading />;
}

export const formatDateTime = (iso: string | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
export const formatTime = (iso: string | Date) => dayjs(iso).format('HH:mm:ss');
export const formatScore = (n: number | null | undefined, digits = 2) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
/** "X₁", the platform's name of a level's score. */
export const xName = (level: number) => `X${String(level).replace(/\d/g, (d) => SUBSCRIPTS[Number(d)])}`;

export const localeTag = (locale: Locale) => (locale === 'en' ? 'en' : 'zh-cn');
