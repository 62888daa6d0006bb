// One self-diagnosis: the page of its current phase (裁剪 → 答题, level by level → 成效类指标 → 结果),
// with the level result between two levels.
import { useEffect, useState } from 'react';
import { Button, Result, Typography } from 'antd';
import { api, type Diagnosis, type Outline, type SubmitLevelResponse } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../../../ui/router.tsx';
import { formatScore, LoadError, Loading, useAsync, xName } from '../util.tsx';
import { TailoringPage } from './Tailoring.tsx';
import { AnsweringPage } from './Answering.tsx';
import { IndicatorsPage } from './Indicators.tsx';

interface Transition {
  response: SubmitLevelResponse;
  seconds: number;
}

export function DiagnosisPage({ id }: { id: string }) {
  const loaded = useAsync(async () => {
    const [diagnosis, outline] = await Promise.all([api.diagnosis(id), api.outline(id)]);
    return { diagnosis, outline };
  }, [id]);
  const [diagnosis, setDiagnosis] = useState<Diagnosis>();
  const [transition, setTransition] = useState<Transition>();

  useEffect(() => {
    if (loaded.data) setDiagnosis(loaded.data.diagnosis);
  }, [loaded.data]);
  useEffect(() => {
    if (diagnosis?.phase.phase === 'finished') navigate(`/diagnosis/${id}/result`, { replace: true });
  }, [diagnosis, id]);

  if (!loaded.data || !diagnosis) return loaded.error ? <div className="page"><LoadError error={loaded.error} onRetry={loaded.reload} /></div> : <Loading />;
  const outline = loaded.data.outline;

  const onSubmitted = (r: SubmitLevelResponse) => {
    const delay = r.delaySeconds ?? outline.flow.onReachedDelaySeconds;
    if (r.level.reached && delay > 0 && r.diagnosis.phase.phase !== 'finished') setTransition({ response: r, seconds: delay });
    else setDiagnosis(r.diagnosis);
  };

  if (transition)
    return (
      <LevelReached
        outline={outline}
        transition={transition}
        onDone={() => {
          setDiagnosis(transition.response.diagnosis);
          setTransition(undefined);
        }}
      />
    );

  const phase = diagnosis.phase;
  switch (phase.phase) {
    case 'tailoring':
      return <TailoringPage diagnosis={diagnosis} outline={outline} onStarted={setDiagnosis} />;
    case 'answering':
      return <AnsweringPage key={phase.level} diagnosis={diagnosis} outline={outline} level={phase.level} onSubmitted={onSubmitted} />;
    case 'indicators':
      return <IndicatorsPage diagnosis={diagnosis} outline={outline} onFinished={(d) => setDiagnosis(d)} />;
    default:
      return <Loading />;
  }
}

/** "已达到 规划级，X₁ = 0.93，3 秒后进入 规范级", counting down, then the next level. */
function LevelReached({ outline, transition, onDone }: { outline: Outline; transition: Transition; onDone: () => void }) {
  const { t } = useI18n();
  const [left, setLeft] = useState(transition.seconds);
  const { level } = transition.response;
  const next = transition.response.diagnosis.phase;
  useEffect(() => {
    if (left <= 0) {
      onDone();
      return;
    }
    const timer = window.setTimeout(() => setLeft((n) => n - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [left, onDone]);
  const name = outline.levels.find((l) => l.number === level.level)?.name ?? String(level.level);
  const nextName = next.phase === 'answering' ? (outline.levels.find((l) => l.number === next.level)?.name ?? String(next.level)) : undefined;
  return (
    <div className="page">
      <Result
        status="success"
        title={<span role="status">{t('level.reachedTitle', { name, x: xName(level.level), score: formatScore(level.score) })}</span>}
        subTitle={
          <Typography.Text aria-live="polite">
            {nextName ? t('level.reachedNext', { seconds: Math.max(left, 0), next: nextName }) : t('level.reachedIndicators', { seconds: Math.max(left, 0) })}
          </Typography.Text>
        }
        extra={
          <Button type="primary" onClick={onDone} autoFocus>
            {t('level.goNow')}
          </Button>
        }
      />
    </div>
  );
}
